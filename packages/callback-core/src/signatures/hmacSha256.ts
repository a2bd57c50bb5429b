import { createHmac, hash } from 'node:crypto';

/** SHA-256 block size in bytes: the length of HMAC's padded key blocks. */
const BLOCK_BYTES = 64;

/** SHA-256 digest size in bytes. */
const DIGEST_BYTES = 32;

/** Above this many bytes of message the one-shot path would copy a large body; stream it instead. */
const ONE_SHOT_MAX_BYTES = 16 * 1024;

/** An HMAC-SHA256 key with its inner and outer padded blocks (RFC 2104) computed once. */
export interface PreparedHmacSha256Key {
  /** The key as given. */
  readonly raw: Buffer;
  /** `K' XOR ipad`, where `K'` is the key zero-padded to the block size (hashed first if longer). */
  readonly inner: Buffer;
  /** `K' XOR opad`. */
  readonly outer: Buffer;
}

/** Pads `key` into its two HMAC-SHA256 blocks. */
export function prepareHmacSha256Key(key: Uint8Array): PreparedHmacSha256Key {
  const raw = Buffer.from(key);
  const block = Buffer.alloc(BLOCK_BYTES);
  (raw.length > BLOCK_BYTES ? hash('sha256', raw, 'buffer') : raw).copy(block);
  const inner = Buffer.allocUnsafe(BLOCK_BYTES);
  const outer = Buffer.allocUnsafe(BLOCK_BYTES);
  for (let i = 0; i < BLOCK_BYTES; i += 1) {
    const byte = block[i] ?? 0;
    inner[i] = byte ^ 0x36;
    outer[i] = byte ^ 0x5c;
  }
  return { raw, inner, outer };
}

/**
 * HMAC-SHA256 of `prefix` (UTF-8) followed by `body`: the same digest as
 * `createHmac('sha256', key).update(prefix).update(body).digest()`.
 *
 * A callback body is small and its key is long-lived, so the usual case is two one-shot hashes
 * over the precomputed key blocks: a `createHmac` object per request costs more than hashing a
 * few hundred bytes. The digests travel as hex because Node's one-shot `hash` returns a string
 * much faster than a Buffer. A body over 16 KiB goes through `createHmac`, so it is never copied.
 */
export function hmacSha256(key: PreparedHmacSha256Key, prefix: string, body: Uint8Array): Buffer {
  if (body.byteLength > ONE_SHOT_MAX_BYTES) {
    return createHmac('sha256', key.raw).update(prefix).update(body).digest();
  }
  const innerHex = hash('sha256', Buffer.concat([key.inner, Buffer.from(prefix, 'utf8'), body]), 'hex');
  const outerInput = Buffer.allocUnsafe(BLOCK_BYTES + DIGEST_BYTES);
  key.outer.copy(outerInput);
  outerInput.write(innerHex, BLOCK_BYTES, 'hex');
  return Buffer.from(hash('sha256', outerInput, 'hex'), 'hex');
}
