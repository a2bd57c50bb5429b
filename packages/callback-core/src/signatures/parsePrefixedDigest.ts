import { decodeBase64Strict, decodeHexStrict } from './encoding.js';
import { type Rejection, reject } from './rejection.js';

/** One decoded digest. */
export interface PrefixedDigest {
  readonly ok: true;
  readonly digest: Buffer;
}

/**
 * Parses a header holding exactly one digest after a literal prefix (`sha256=<hex>`, `v0=<hex>`,
 * `<base64>`). The prefix is matched case-sensitively, as the providers send it. Never throws.
 */
export function parsePrefixedDigest(
  header: string,
  prefix: string,
  encoding: 'hex' | 'base64',
  headerName: string,
): PrefixedDigest | Rejection {
  if (!header.startsWith(prefix)) {
    return reject(
      'malformed_header',
      prefix === '' ? `${headerName} is empty` : `${headerName} must start with ${prefix}`,
    );
  }
  const text = header.slice(prefix.length);
  const digest = encoding === 'hex' ? decodeHexStrict(text) : decodeBase64Strict(text);
  if (digest === undefined)
    return reject('malformed_header', `${headerName} must carry one ${encoding} digest`);
  return { ok: true, digest };
}
