import { createHmac } from 'node:crypto';

/** HMAC of `prefix` (UTF-8, may be empty) followed by the raw body bytes, without copying the body. */
export function hmacDigest(
  algorithm: 'sha256' | 'sha512',
  key: string | Uint8Array,
  prefix: string,
  body: Uint8Array,
): Buffer {
  const hmac = createHmac(algorithm, key);
  if (prefix.length > 0) hmac.update(prefix);
  return hmac.update(body).digest();
}
