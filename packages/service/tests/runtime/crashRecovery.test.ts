import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../src/runtime/createLocalRuntime.js';
import { callbackFor } from '../helpers/callbackFor.js';
import { type RuntimeFixture, randomBody, runtimeFixture, sha256 } from '../helpers/runtimeFixture.js';
import { type Origin, startOrigin } from '../helpers/startOrigin.js';

const MIB = 1024 * 1024;
/** fetch-stream's default part size: the unit a resume may fetch again. */
const PART = 8 * MIB;

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('local runtime: crash recovery', () => {
  const small = [randomBody(200 * 1024), randomBody(50 * 1024)];
  const slow = randomBody(24 * MIB);
  let origin: Origin;
  let fixture: RuntimeFixture;
  const runtimes: LocalRuntime[] = [];

  beforeEach(async () => {
    origin = await startOrigin({
      '/s0.bin': { body: small[0] ?? Buffer.alloc(0) },
      '/s1.bin': { body: small[1] ?? Buffer.alloc(0) },
      // Slow enough that the runtime is stopped while this file is half way.
      '/slow.bin': { body: slow, chunkDelayMs: 2 },
    });
    fixture = await runtimeFixture(origin);
  });

  afterEach(async () => {
    for (const runtime of runtimes.splice(0)) await runtime.close();
    await origin.close();
    await fixture.remove();
  });

  it('drives a half-done delivery to completed after a stop: finished files not fetched again, the partial one resumed', async () => {
    // Prepare: a delivery whose small files are done and whose big file is mid-way.
    const first = await fixture.start({ maxConcurrency: 3 });
    runtimes.push(first);
    const { delivery } = await first.registerDelivery({ providerId: 'demo' });
    const payload = {
      files: [
        { url: origin.url('/s0.bin'), name: 's0.bin' },
        { url: origin.url('/slow.bin'), name: 'big/slow.bin', size: slow.length },
        { url: origin.url('/s1.bin'), name: 's1.bin' },
      ],
    };
    await first.acceptCallback(delivery.id, callbackFor(delivery.id, payload, fixture.profile));
    await until(async () => {
      const files = (await first.store.listFiles(delivery.id)).items;
      return files[0]?.status === 'completed' && files[2]?.status === 'completed';
    });
    // Past one part plus some: at least one part is journaled as complete.
    await until(() => origin.bytesSent('/slow.bin') >= PART + 4 * MIB);

    // Act: stop mid-delivery, start a new runtime on the same database and folder.
    await first.close();
    const sentBeforeStop = origin.bytesSent('/slow.bin');
    const midway = await stat(join(fixture.downloadsDir, delivery.id, 'big', 'slow.bin.part'));
    origin.set('/slow.bin', { body: slow });
    const second = await fixture.start({ maxConcurrency: 3 });
    runtimes.push(second);
    const settled = await second.whenSettled(delivery.id);

    // Assess
    expect(midway.isFile()).toBe(true);
    expect(second.recovered).toEqual([delivery.id]);
    expect(settled.status).toBe('completed');
    const dir = join(fixture.downloadsDir, delivery.id);
    expect(await readFile(join(dir, 's0.bin'))).toEqual(small[0]);
    expect(await readFile(join(dir, 's1.bin'))).toEqual(small[1]);
    // Compared by digest: a deep equality over 24 MiB would stall the test worker.
    expect(sha256(await readFile(join(dir, 'big', 'slow.bin')))).toBe(sha256(slow));
    expect(origin.gets('/s0.bin')).toBe(1);
    expect(origin.gets('/s1.bin')).toBe(1);
    // Resumed, not restarted: the second run fetched at most what no committed part covered.
    const sentAfterRestart = origin.bytesSent('/slow.bin') - sentBeforeStop;
    expect(sentAfterRestart).toBeLessThanOrEqual(slow.length - PART);
    expect(origin.bytesSent('/slow.bin')).toBeLessThan(slow.length + 2 * PART);
    expect(settled.files[1]?.attempts).toBe(2);
    const report = JSON.parse(await readFile(join(dir, '_delivery.json'), 'utf8'));
    expect(report.files.map((f: { outcome: string }) => f.outcome)).toEqual([
      'completed',
      'completed',
      'completed',
    ]);
  });

  it('never awaits an accepted callback again: a delivery stopped in resolving resumes without a new callback', async () => {
    const first = await fixture.start();
    runtimes.push(first);
    const { delivery } = await first.registerDelivery({ providerId: 'demo' });
    // Record the callback without waking the engine, as if the process died right after storing it.
    const recorded = await first.store.recordCallback(
      delivery.id,
      callbackFor(delivery.id, { files: [{ url: origin.url('/s1.bin'), name: 's1.bin' }] }, fixture.profile),
    );
    await first.close();

    const second = await fixture.start();
    runtimes.push(second);
    const settled = await second.whenSettled(delivery.id);

    expect(recorded.verdict).toBe('new');
    expect(second.recovered).toEqual([delivery.id]);
    expect(settled.status).toBe('completed');
    expect(await readFile(join(fixture.downloadsDir, delivery.id, 's1.bin'))).toEqual(small[1]);
  });

  it('adopts a file that reached storage just before a crash instead of fetching it again', async () => {
    const first = await fixture.start();
    runtimes.push(first);
    const { delivery } = await first.registerDelivery({
      providerId: 'demo',
      files: [{ url: origin.url('/s0.bin'), name: 's0.bin' }],
    });
    // An attempt started and its bytes reached storage, but the store never heard of the end:
    // the process died between the two. (The status moves last: from then on the first runtime
    // may drive the delivery itself, and must find the same state.)
    await first.store.startFileAttempt(delivery.id, 0, 'small');
    await first.objects.putObject(`${delivery.id}/s0.bin`, small[0] ?? Buffer.alloc(0));
    await first.store.transition(delivery.id, ['awaiting_callback'], 'downloading');
    await first.close();

    const second = await fixture.start();
    runtimes.push(second);
    const settled = await second.whenSettled(delivery.id);

    expect(settled.status).toBe('completed');
    expect(origin.gets('/s0.bin')).toBe(0);
    expect(settled.files[0]).toMatchObject({ status: 'completed', bytes: small[0]?.length });
  });
});
