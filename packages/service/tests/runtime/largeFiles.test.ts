import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../src/runtime/createLocalRuntime.js';
import { callbackFor } from '../helpers/callbackFor.js';
import { type RuntimeFixture, randomBody, runtimeFixture, sha256 } from '../helpers/runtimeFixture.js';
import { type Origin, startOrigin } from '../helpers/startOrigin.js';

const KIB = 1024;

describe('local runtime: files above the large-file threshold go through the batch-runner child process', () => {
  const big = randomBody(1536 * KIB);
  const small = randomBody(10 * KIB);
  let origin: Origin;
  let fixture: RuntimeFixture;
  let runtime: LocalRuntime | undefined;
  const logs: string[] = [];

  beforeEach(async () => {
    origin = await startOrigin({
      '/big.bin': { body: big },
      '/undeclared.bin': { body: big },
      '/small.bin': { body: small },
      '/missing-big.bin': { body: Buffer.alloc(0), status: 404 },
    });
    fixture = await runtimeFixture(origin);
    logs.length = 0;
    runtime = await fixture.start({ largeFileThreshold: 512 * KIB, onLog: (line) => logs.push(line) });
  });

  afterEach(async () => {
    await runtime?.close();
    await origin.close();
    await fixture.remove();
  });

  it('downloads declared and probed large files with batch-runner and small ones in process', async () => {
    if (runtime === undefined) throw new Error('runtime not started');
    const { delivery } = await runtime.registerDelivery({ providerId: 'demo' });
    const payload = {
      files: [
        { url: origin.url('/big.bin'), name: 'big.bin', size: big.length, sha256: sha256(big) },
        { url: origin.url('/undeclared.bin'), name: 'undeclared.bin' },
        { url: origin.url('/small.bin'), name: 'small.bin' },
      ],
    };

    await runtime.acceptCallback(delivery.id, callbackFor(delivery.id, payload, fixture.profile));
    const settled = await runtime.whenSettled(delivery.id);

    expect(settled.status).toBe('completed');
    expect(settled.files.map((f) => [f.name, f.route, f.bytes, f.sha256])).toEqual([
      ['big.bin', 'large', big.length, sha256(big)],
      ['undeclared.bin', 'large', big.length, sha256(big)],
      ['small.bin', 'small', small.length, sha256(small)],
    ]);
    const dir = join(fixture.downloadsDir, delivery.id);
    expect(sha256(await readFile(join(dir, 'big.bin')))).toBe(sha256(big));
    expect(sha256(await readFile(join(dir, 'undeclared.bin')))).toBe(sha256(big));
    expect(await readFile(join(dir, 'small.bin'))).toEqual(small);
    // The child process's own JSON log lines came through, tagged with the delivery id.
    expect(logs.some((line) => line.startsWith('batch-runner: ') && line.includes(delivery.id))).toBe(true);
  });

  it('records the runner refusal of a large file as that file failing, not the delivery', async () => {
    if (runtime === undefined) throw new Error('runtime not started');
    const { delivery } = await runtime.registerDelivery({ providerId: 'demo' });
    const payload = {
      files: [
        { url: origin.url('/missing-big.bin'), name: 'missing.bin', size: 4096 * KIB },
        { url: origin.url('/small.bin'), name: 'small.bin' },
      ],
    };

    await runtime.acceptCallback(delivery.id, callbackFor(delivery.id, payload, fixture.profile));
    const settled = await runtime.whenSettled(delivery.id);

    expect(settled.status).toBe('partially_failed');
    expect(settled.files[0]).toMatchObject({ status: 'failed', route: 'large', attempts: 1 });
    expect(settled.files[0]?.error?.code).toBe('LARGE_FILE_RUNNER_FAILED');
    expect(settled.files[0]?.error?.message).toContain('exit 65');
    expect(settled.files[1]).toMatchObject({ status: 'completed' });
  });

  it('refuses a large file whose URL redirects to a loopback port outside the policy, writing nothing', async () => {
    // Prepare: a second loopback server the demo policy does not allow (its port differs).
    if (runtime === undefined) throw new Error('runtime not started');
    const inner = await startOrigin({ '/secret.bin': { body: big } });
    try {
      origin.set('/to-inner.bin', { body: Buffer.alloc(0), redirectTo: inner.url('/secret.bin') });
      const { delivery } = await runtime.registerDelivery({ providerId: 'demo' });
      const payload = { files: [{ url: origin.url('/to-inner.bin'), name: 'inner.bin', size: big.length }] };

      // Act
      await runtime.acceptCallback(delivery.id, callbackFor(delivery.id, payload, fixture.profile));
      const settled = await runtime.whenSettled(delivery.id);

      // Assess
      expect(settled.status).toBe('failed');
      expect(settled.files[0]).toMatchObject({ status: 'failed', route: 'large' });
      expect(settled.files[0]?.error?.message).toContain('BLOCKED_ADDRESS');
      expect(inner.gets('/secret.bin')).toBe(0);
      await expect(stat(join(fixture.downloadsDir, delivery.id, 'inner.bin'))).rejects.toMatchObject({
        code: 'ENOENT',
      });
    } finally {
      await inner.close();
    }
  });

  it('shows the bytes of a large file growing in its record while the batch-runner child downloads it', async () => {
    // Prepare: 24 chunks of 64 KiB, 150 ms apart, so the child reports progress several times.
    if (runtime === undefined) throw new Error('runtime not started');
    origin.set('/slow-big.bin', { body: big, chunkDelayMs: 150 });
    const { delivery } = await runtime.registerDelivery({ providerId: 'demo' });
    const payload = { files: [{ url: origin.url('/slow-big.bin'), name: 'slow.bin', size: big.length }] };
    const seen: number[] = [];
    let settledYet = false;

    // Act: watch the file record (what the dashboard reads) until the delivery settles.
    await runtime.acceptCallback(delivery.id, callbackFor(delivery.id, payload, fixture.profile));
    const settling = runtime.whenSettled(delivery.id).finally(() => {
      settledYet = true;
    });
    while (!settledYet) {
      const file = await runtime.store.getFile(delivery.id, 0);
      if (file?.status === 'downloading') seen.push(file.bytes);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const settled = await settling;

    // Assess
    expect(settled.files[0]).toMatchObject({ status: 'completed', route: 'large', bytes: big.length });
    expect(seen.some((bytes) => bytes > 0 && bytes < big.length)).toBe(true);
  });
});
