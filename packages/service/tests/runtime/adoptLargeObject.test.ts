/**
 * Adoption after a crash hashes the object by streaming: a finished 3 GiB file (sparse on disk,
 * so the test writes no 3 GiB) that the store never heard completed is adopted with its sha256,
 * not fetched again. Reading it whole would fail above 2 GiB (and hold it all in memory).
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../src/runtime/createLocalRuntime.js';
import { type RuntimeFixture, runtimeFixture } from '../helpers/runtimeFixture.js';
import { type Origin, startOrigin } from '../helpers/startOrigin.js';

const SIZE = 3 * 1024 ** 3;
/** sha256 of 3 GiB of zero bytes (what a sparse file of that size reads as). */
const ZEROS_SHA256 = '305b66a59d15b252092fbda9d09711230c429f351897cbd430e7b55a35fd3b97';

describe('local runtime: adopting a finished object after a crash', () => {
  let origin: Origin;
  let fixture: RuntimeFixture;
  const runtimes: LocalRuntime[] = [];

  beforeEach(async () => {
    origin = await startOrigin({ '/huge.bin': { body: Buffer.alloc(16) } });
    fixture = await runtimeFixture(origin);
  });

  afterEach(async () => {
    for (const runtime of runtimes.splice(0)) await runtime.close();
    await origin.close();
    await fixture.remove();
  });

  it('adopts a finished 3 GiB file by streaming its sha256, without fetching it again', async () => {
    // Prepare: the file's attempt started and its object is complete on disk, but the process
    // died before the store heard of the end.
    const first = await fixture.start();
    runtimes.push(first);
    const { delivery } = await first.registerDelivery({
      providerId: 'demo',
      files: [
        { url: origin.url('/huge.bin'), name: 'huge.bin', size: SIZE, checksums: { sha256: ZEROS_SHA256 } },
      ],
    });
    await first.store.startFileAttempt(delivery.id, 0, 'large');
    const path = join(fixture.downloadsDir, delivery.id, 'huge.bin');
    await mkdir(dirname(path), { recursive: true });
    const file = await open(path, 'w');
    await file.truncate(SIZE);
    await file.close();
    await first.store.transition(delivery.id, ['awaiting_callback'], 'downloading');
    await first.close();

    // Act: a new runtime on the same database and folder.
    const second = await fixture.start();
    runtimes.push(second);
    const settled = await second.whenSettled(delivery.id);

    // Assess
    expect(origin.gets('/huge.bin')).toBe(0);
    expect(settled.status).toBe('completed');
    expect(settled.files[0]).toMatchObject({ status: 'completed', bytes: SIZE, sha256: ZEROS_SHA256 });
  }, 300_000);
});
