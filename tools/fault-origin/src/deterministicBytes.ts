import { createCipheriv, createHash } from 'node:crypto';

const BLOCK = 16;
const CHUNK = 64 * 1024;

/** Derives the 16-byte AES key that names one deterministic byte stream. */
export function keyFor(seed: string): Buffer {
  return createHash('sha256').update(seed).digest().subarray(0, BLOCK);
}

/**
 * Counter block for a byte offset. AES-CTR is random-access, so any range can be produced
 * without generating what comes before it: that is what lets the origin serve ranges of
 * multi-GiB resources it never stores.
 */
function counterAt(offset: number): Buffer {
  const iv = Buffer.alloc(BLOCK);
  iv.writeBigUInt64BE(BigInt(Math.floor(offset / BLOCK)), 8);
  return iv;
}

/**
 * Yields the bytes `[start, end)` of the pseudo-random stream named by `key`, in chunks of at
 * most `chunkSize` bytes. The same key and offsets always give the same bytes.
 */
export function* deterministicChunks(
  key: Buffer,
  start: number,
  end: number,
  chunkSize: number = CHUNK,
): Generator<Buffer> {
  if (end <= start) return;
  const blockStart = start - (start % BLOCK);
  const cipher = createCipheriv('aes-128-ctr', key, counterAt(blockStart));
  let skip = start - blockStart;
  let position = start;
  const zeros = Buffer.alloc(chunkSize + BLOCK);
  while (position < end) {
    const want = Math.min(chunkSize, end - position);
    const produced = cipher.update(zeros.subarray(0, want + skip));
    const chunk = produced.subarray(skip);
    skip = 0;
    position += chunk.length;
    yield chunk;
  }
}

/** The bytes `[start, end)` of the stream named by `key`, as one buffer (for small ranges). */
export function deterministicBuffer(key: Buffer, start: number, end: number): Buffer {
  return Buffer.concat([...deterministicChunks(key, start, end)]);
}
