import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MultiDigest } from '../../src/hash/checksums.js';
import { Sha256Offload } from '../../src/hash/sha256Offload.js';

describe('sha256 on a worker thread', () => {
  it('equals node:crypto over the same bytes fed in uneven chunks', async () => {
    const data = randomBytes(9 * 1024 * 1024 + 123);
    const offload = new Sha256Offload();
    for (let i = 0; i < data.length; i += 70_001) {
      offload.update(data.subarray(i, i + 70_001));
      await offload.waitForCapacity();
    }

    expect(await offload.digest()).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('MultiDigest gives the same digests with and without the worker', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const inline = new MultiDigest(['md5', 'crc32c']);
    const offloaded = new MultiDigest(['md5', 'crc32c'], true);
    inline.update(data);
    offloaded.update(data);

    expect(await offloaded.digest()).toEqual(await inline.digest());
  });
});
