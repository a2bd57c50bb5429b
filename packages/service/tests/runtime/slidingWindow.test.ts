/**
 * The window over a whole delivery: one file held by the origin must not hold back any other.
 * 1,200 files, 16 at a time, the first one stalled for 20 s by the fault origin: every other
 * file completes while that one is still downloading. (With files fetched in chunks of 500 one
 * chunk after another, 700 files would wait for the stalled one.)
 */
import { type FaultOrigin, startFaultOrigin } from '@downloader/fault-origin';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../src/runtime/createLocalRuntime.js';
import { callbackFor } from '../helpers/callbackFor.js';
import { type RuntimeFixture, runtimeFixture } from '../helpers/runtimeFixture.js';

const FILES = 1200;
const STALL_MS = 20_000;
const name = (i: number) => `f${String(i).padStart(4, '0')}.bin`;

let origin: FaultOrigin;
let fixture: RuntimeFixture;
let runtime: LocalRuntime | undefined;
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);

beforeEach(async () => {
  const sizes: Record<string, number> = {};
  for (let i = 0; i < FILES; i += 1) sizes[name(i)] = 2048 + (i % 7);
  origin = await startFaultOrigin({ files: sizes, seed: 'sliding-window' });
  // The first file: headers and 1 KiB, then nothing for 20 s, then the rest.
  origin.setFaults(name(0), [{ mode: 'stall', afterBytes: 1024, stallMs: STALL_MS }]);
  fixture = await runtimeFixture(origin);
  warnings.length = 0;
  process.on('warning', onWarning);
});

afterEach(async () => {
  process.off('warning', onWarning);
  await runtime?.close();
  runtime = undefined;
  await origin.close();
  await fixture.remove();
});

describe('the download window slides over the whole delivery', () => {
  it('completes the other 1,199 files while one is stalled, then the stalled one, without a listener warning', async () => {
    runtime = await fixture.start({ maxConcurrency: 16 });
    const { delivery } = await runtime.registerDelivery({ providerId: 'demo' });
    const files = Array.from({ length: FILES }, (_, i) => ({
      url: origin.url(name(i)),
      name: name(i),
      size: origin.info(name(i)).size,
      checksums: { sha256: origin.info(name(i)).sha256 },
    }));

    await runtime.acceptCallback(delivery.id, callbackFor(delivery.id, { files }, fixture.profile));
    // Until every other file is done, or the stalled one is (which would mean it held them back).
    let completed: number[] = [];
    for (;;) {
      completed = await runtime.store.listFileIndices(delivery.id, {
        statuses: ['completed'],
        fromIndex: 0,
        limit: FILES,
      });
      if (completed.length >= FILES - 1 || completed.includes(0)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stalled = await runtime.store.getFile(delivery.id, 0);
    const stalledRequest = origin.stats.perRequest.find(
      (record) => record.method === 'GET' && record.url.startsWith(`/${name(0)}`),
    );

    expect(completed).toEqual(Array.from({ length: FILES - 1 }, (_, i) => i + 1));
    expect(stalled).toMatchObject({ status: 'downloading', attempts: 1 });
    expect(stalledRequest?.completed).toBe(false);

    const settled = await runtime.whenSettled(delivery.id);
    expect(settled.status).toBe('completed');
    expect(settled.files.map((file) => file.sha256)).toEqual(files.map((file) => file.checksums.sha256));
    expect(settled.files[0]?.attempts).toBe(1);
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
