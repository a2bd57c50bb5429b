import { decodeBase64Strict } from './encoding.js';
import { type Rejection, reject } from './rejection.js';

/** Default cap on signatures in one header: a provider rotating keys sends two or three. */
export const DEFAULT_MAX_SIGNATURES = 10;

/** Signatures found in a `webhook-signature` header, grouped by the versions we verify. */
export interface StandardWebhooksSignatures {
  readonly ok: true;
  /** `v1` HMAC-SHA256 digests. */
  readonly v1: readonly Buffer[];
  /** `v1a` Ed25519 signatures. */
  readonly v1a: readonly Buffer[];
}

const VERSION = /^v[0-9a-z]{1,8}$/;

/**
 * Parses `v1,<base64> v1a,<base64> …`. Entries of versions we do not know are skipped (the format is
 * meant to grow), but every entry must have the `<version>,<base64>` shape. Never throws.
 */
export function parseStandardWebhooksSignatureHeader(
  header: string,
  maxSignatures: number = DEFAULT_MAX_SIGNATURES,
): StandardWebhooksSignatures | Rejection {
  const entries = header.split(' ').filter((entry) => entry.length > 0);
  if (entries.length === 0) return reject('malformed_header', 'signature header is empty');
  if (entries.length > maxSignatures) {
    return reject(
      'malformed_header',
      `signature header carries ${entries.length} signatures; at most ${maxSignatures}`,
    );
  }
  const v1: Buffer[] = [];
  const v1a: Buffer[] = [];
  for (const entry of entries) {
    const comma = entry.indexOf(',');
    const version = entry.slice(0, comma);
    const bytes = comma > 0 ? decodeBase64Strict(entry.slice(comma + 1)) : undefined;
    if (!VERSION.test(version) || bytes === undefined) {
      return reject('malformed_header', 'signature entries must look like v1,<base64>');
    }
    if (version === 'v1') v1.push(bytes);
    else if (version === 'v1a') v1a.push(bytes);
  }
  return { ok: true, v1, v1a };
}
