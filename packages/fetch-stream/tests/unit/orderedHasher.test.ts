import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OrderedHasher } from '../../src/hash/orderedSha256.js';

describe('OrderedHasher', () => {
  it('hashes in byte order although chunks land out of order', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 77);
    const stored = Buffer.alloc(data.length);
    let readBackBytes = 0;
    const hasher = new OrderedHasher(['md5'], async (offset, length) => {
      readBackBytes += length;
      return stored.subarray(offset, offset + length);
    });
    // Four "connections" interleaved: each writes its quarter in 64 KiB chunks.
    const quarter = Math.ceil(data.length / 4);
    const cursors = [0, quarter, 2 * quarter, 3 * quarter];
    const ends = [quarter, 2 * quarter, 3 * quarter, data.length];
    for (let moved = true; moved; ) {
      moved = false;
      for (let c = 0; c < 4; c++) {
        const at = cursors[c] as number;
        const end = ends[c] as number;
        if (at >= end) continue;
        const n = Math.min(65536, end - at);
        data.copy(stored, at, at, at + n);
        hasher.onWritten(at, stored.subarray(at, at + n));
        cursors[c] = at + n;
        moved = true;
      }
      await new Promise((r) => setImmediate(r));
    }
    const digests = await hasher.finish(data.length);
    expect(digests.get('sha256')).toBe(createHash('sha256').update(data).digest('hex'));
    expect(digests.get('md5')).toBe(createHash('md5').update(data).digest('hex'));
    // The first quarter was hashed inline; only later quarters needed reading back.
    expect(readBackBytes).toBeLessThanOrEqual(data.length - quarter);
  });

  it('refuses to finish while a range was never written', async () => {
    const hasher = new OrderedHasher([], async () => Buffer.alloc(0));
    hasher.onWritten(0, Buffer.from('abc'));
    await expect(hasher.finish(10)).rejects.toThrow(/hashed 3 of 10/);
  });
});
