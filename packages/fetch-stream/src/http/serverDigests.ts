import type { IncomingHttpHeaders } from 'node:http';
import type { Algorithm } from '../hash/checksums.js';

/** A digest of the whole representation that a server declared. Value is lower-case hex. */
export interface ServerDigest {
  readonly algorithm: Algorithm;
  readonly value: string;
  readonly header: string;
}

const SF_NAMES: Record<string, Algorithm> = {
  'sha-256': 'sha256',
  'sha-512': 'sha512',
  md5: 'md5',
  sha: 'sha1',
  crc32c: 'crc32c',
};
const LEGACY_NAMES: Record<string, Algorithm> = {
  'sha-256': 'sha256',
  'sha-512': 'sha512',
  md5: 'md5',
  sha: 'sha1',
  crc32c: 'crc32c',
};
const EXPECTED_BYTES: Partial<Record<Algorithm, number>> = {
  sha256: 32,
  sha512: 64,
  md5: 16,
  sha1: 20,
  crc32c: 4,
  crc32: 4,
  crc64nvme: 8,
};

/**
 * Extracts digests that cover the whole file from response headers.
 * `wholeResponse` is true for a 200 (the body is the full representation); a 206's
 * `Content-Digest` covers only that partial content and `x-amz-checksum-*` on a ranged GET
 * is not trusted as a whole-object value, so both are used only on a 200.
 */
export function serverDigests(headers: IncomingHttpHeaders, wholeResponse: boolean): ServerDigest[] {
  const out: ServerDigest[] = [];
  const add = (algorithm: Algorithm | undefined, b64: string | undefined, header: string): void => {
    if (algorithm === undefined || b64 === undefined) return;
    const bytes = decodeBase64(b64);
    if (bytes === undefined || bytes.length !== EXPECTED_BYTES[algorithm]) return;
    if (out.some((d) => d.algorithm === algorithm)) return;
    out.push({ algorithm, value: bytes.toString('hex'), header });
  };

  for (const [k, v] of parseStructuredDictionary(joined(headers['repr-digest'])))
    add(SF_NAMES[k], v, 'repr-digest');
  if (wholeResponse) {
    for (const [k, v] of parseStructuredDictionary(joined(headers['content-digest'])))
      add(SF_NAMES[k], v, 'content-digest');
  }
  for (const [k, v] of parseLegacyDigest(joined(headers.digest))) add(LEGACY_NAMES[k], v, 'digest');
  for (const [k, v] of parseLegacyDigest(joined(headers['x-goog-hash'])))
    add(LEGACY_NAMES[k], v, 'x-goog-hash');
  if (wholeResponse) {
    // A multipart upload's composite checksum ("…-12") is not a digest of the bytes.
    const type = joined(headers['x-amz-checksum-type'])?.toUpperCase();
    if (type !== 'COMPOSITE') {
      add('sha256', plain(headers['x-amz-checksum-sha256']), 'x-amz-checksum-sha256');
      add('crc32c', plain(headers['x-amz-checksum-crc32c']), 'x-amz-checksum-crc32c');
      add('crc32', plain(headers['x-amz-checksum-crc32']), 'x-amz-checksum-crc32');
      add('sha1', plain(headers['x-amz-checksum-sha1']), 'x-amz-checksum-sha1');
    }
  }
  return out;
}

/** RFC 8941 dictionary members whose value is a byte sequence (`name=:b64:`). */
function parseStructuredDictionary(value: string | undefined): Array<[string, string]> {
  if (value === undefined) return [];
  const out: Array<[string, string]> = [];
  for (const member of value.split(',')) {
    const m = /^\s*([a-z*][a-z0-9_.*-]*)\s*=\s*:([A-Za-z0-9+/=]*):\s*(;.*)?$/.exec(member);
    if (m?.[1] !== undefined && m[2] !== undefined) out.push([m[1], m[2]]);
  }
  return out;
}

/** RFC 3230 `Digest: SHA-256=b64, MD5=b64` and `x-goog-hash: crc32c=b64,md5=b64`. */
function parseLegacyDigest(value: string | undefined): Array<[string, string]> {
  if (value === undefined) return [];
  const out: Array<[string, string]> = [];
  for (const member of value.split(',')) {
    const eq = member.indexOf('=');
    if (eq <= 0) continue;
    out.push([member.slice(0, eq).trim().toLowerCase(), member.slice(eq + 1).trim()]);
  }
  return out;
}

function plain(value: string | string[] | undefined): string | undefined {
  const v = joined(value);
  return v === undefined || v.includes('-') ? undefined : v.trim();
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function decodeBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  return Buffer.from(text, 'base64');
}
