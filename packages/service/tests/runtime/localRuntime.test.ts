import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../src/runtime/createLocalRuntime.js';
import { callbackFor } from '../helpers/callbackFor.js';
import { type RuntimeFixture, randomBody, runtimeFixture, sha256 } from '../helpers/runtimeFixture.js';
import { type Origin, startOrigin } from '../helpers/startOrigin.js';

const KIB = 1024;

describe('local runtime: register → callback → files on disk', () => {
  const bodies = {
    '/data/a.csv': randomBody(300 * KIB),
    '/data/b.bin': randomBody(1 * KIB + 7),
    '/data/nested/c.json': randomBody(64 * KIB),
  };
  let origin: Origin;
  let fixture: RuntimeFixture;
  let runtime: LocalRuntime | undefined;

  beforeEach(async () => {
    origin = await startOrigin(
      Object.fromEntries(Object.entries(bodies).map(([path, body]) => [path, { body }])),
    );
    fixture = await runtimeFixture(origin);
  });

  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await origin.close();
    await fixture.remove();
  });

  it('downloads every file byte-identical, writes _delivery.json and ends completed', async () => {
    // Prepare
    runtime = await fixture.start();
    const { delivery } = await runtime.registerDelivery({ providerId: 'demo', label: 'nightly export' });
    const payload = {
      files: [
        { url: origin.url('/data/a.csv'), name: 'a.csv', sha256: sha256(bodies['/data/a.csv']) },
        { url: origin.url('/data/b.bin'), name: 'b.bin', size: bodies['/data/b.bin'].length },
        { url: origin.url('/data/nested/c.json'), name: 'nested/c.json' },
      ],
    };

    // Act
    const accepted = await runtime.acceptCallback(
      delivery.id,
      callbackFor(delivery.id, payload, fixture.profile, 'evt-1'),
    );
    const duplicate = await runtime.acceptCallback(
      delivery.id,
      callbackFor(delivery.id, payload, fixture.profile, 'evt-1'),
    );
    const settled = await runtime.whenSettled(delivery.id);

    // Assess
    expect(delivery.status).toBe('awaiting_callback');
    expect(accepted.verdict).toBe('new');
    expect(duplicate.verdict).toBe('duplicate');
    expect(settled.status).toBe('completed');
    const dir = join(fixture.downloadsDir, delivery.id);
    expect(await readFile(join(dir, 'a.csv'))).toEqual(bodies['/data/a.csv']);
    expect(await readFile(join(dir, 'b.bin'))).toEqual(bodies['/data/b.bin']);
    expect(await readFile(join(dir, 'nested', 'c.json'))).toEqual(bodies['/data/nested/c.json']);
    expect((await readdir(dir)).sort()).toEqual(['_delivery.json', 'a.csv', 'b.bin', 'nested']);
    const report = JSON.parse(await readFile(join(dir, '_delivery.json'), 'utf8'));
    expect(report).toMatchObject({ deliveryId: delivery.id, status: 'completed', label: 'nightly export' });
    expect(report.files).toEqual([
      expect.objectContaining({
        key: `${delivery.id}/a.csv`,
        bytes: 300 * KIB,
        sha256: sha256(bodies['/data/a.csv']),
        attempts: 1,
        outcome: 'completed',
      }),
      expect.objectContaining({
        key: `${delivery.id}/b.bin`,
        bytes: KIB + 7,
        sha256: sha256(bodies['/data/b.bin']),
        attempts: 1,
        outcome: 'completed',
      }),
      expect.objectContaining({
        key: `${delivery.id}/nested/c.json`,
        bytes: 64 * KIB,
        sha256: sha256(bodies['/data/nested/c.json']),
        attempts: 1,
        outcome: 'completed',
      }),
    ]);
    expect(settled.files.map((f) => [f.name, f.status, f.bytes, f.route])).toEqual([
      ['a.csv', 'completed', 300 * KIB, 'small'],
      ['b.bin', 'completed', KIB + 7, 'small'],
      ['nested/c.json', 'completed', 64 * KIB, 'small'],
    ]);
    expect(origin.gets('/data/a.csv')).toBe(1);
  });

  it('ends partially_failed when one file fails, with the others completed and the error recorded', async () => {
    origin.set('/data/gone.bin', { body: Buffer.alloc(0), status: 404 });
    runtime = await fixture.start();
    const { delivery } = await runtime.registerDelivery({ providerId: 'demo' });
    const payload = {
      files: [
        { url: origin.url('/data/a.csv'), name: 'a.csv' },
        { url: origin.url('/data/gone.bin'), name: 'gone.bin', size: 10 },
        { url: origin.url('/data/b.bin'), name: 'b.bin' },
      ],
    };

    await runtime.acceptCallback(delivery.id, callbackFor(delivery.id, payload, fixture.profile));
    const settled = await runtime.whenSettled(delivery.id);

    expect(settled.status).toBe('partially_failed');
    expect(settled.files.map((f) => f.status)).toEqual(['completed', 'failed', 'completed']);
    expect(settled.files[1]?.error).toMatchObject({ code: 'HTTP_STATUS' });
    const dir = join(fixture.downloadsDir, delivery.id);
    expect(await readFile(join(dir, 'a.csv'))).toEqual(bodies['/data/a.csv']);
    expect(await readFile(join(dir, 'b.bin'))).toEqual(bodies['/data/b.bin']);
    const report = JSON.parse(await readFile(join(dir, '_delivery.json'), 'utf8'));
    expect(report.status).toBe('partially_failed');
    expect(report.files[1]).toMatchObject({
      name: 'gone.bin',
      outcome: 'failed',
      error: { code: 'HTTP_STATUS' },
    });
    expect((await readdir(dir)).sort()).toEqual(['_delivery.json', 'a.csv', 'b.bin']);
  });

  it('fetches on the event loop with downloadThreads 0, with the same outcomes as on threads', async () => {
    // Prepare
    origin.set('/data/gone.bin', { body: Buffer.alloc(0), status: 404 });
    runtime = await fixture.start({ downloadThreads: 0 });
    const { delivery } = await runtime.registerDelivery({ providerId: 'demo' });
    const payload = {
      files: [
        { url: origin.url('/data/a.csv'), name: 'a.csv', sha256: sha256(bodies['/data/a.csv']) },
        { url: origin.url('/data/gone.bin'), name: 'gone.bin', size: 10 },
      ],
    };

    // Act
    await runtime.acceptCallback(delivery.id, callbackFor(delivery.id, payload, fixture.profile));
    const settled = await runtime.whenSettled(delivery.id);

    // Assess
    expect(settled.status).toBe('partially_failed');
    expect(settled.files.map((f) => [f.status, f.sha256 ?? null, f.error?.code ?? null])).toEqual([
      ['completed', sha256(bodies['/data/a.csv']), null],
      ['failed', null, 'HTTP_STATUS'],
    ]);
    const dir = join(fixture.downloadsDir, delivery.id);
    expect(sha256(await readFile(join(dir, 'a.csv')))).toBe(sha256(bodies['/data/a.csv']));
    expect((await readdir(dir)).sort()).toEqual(['_delivery.json', 'a.csv']);
  });

  it('refuses a downloadThreads setting that is not a whole number from 0, naming the setting', async () => {
    await expect(fixture.start({ downloadThreads: -1 })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      issues: [expect.objectContaining({ path: 'downloadThreads' })],
    });
    await expect(fixture.start({ downloadThreads: 1.5 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('retries a file through transient 503s and records every attempt', async () => {
    origin.set('/data/flaky.bin', { body: Buffer.alloc(0), status: 503 });
    runtime = await fixture.start();
    const { delivery } = await runtime.registerDelivery({ providerId: 'demo' });
    const flaky = randomBody(10 * KIB);
    let recovered = false;
    const payload = {
      files: [{ url: origin.url('/data/flaky.bin'), name: 'flaky.bin', size: flaky.length }],
    };

    await runtime.acceptCallback(delivery.id, callbackFor(delivery.id, payload, fixture.profile));
    // Heal the origin once the workflow has seen it fail (first attempt's retries spent).
    while (!recovered) {
      const file = await runtime.store.getFile(delivery.id, 0);
      if (file !== undefined && file.attempts >= 2) {
        origin.set('/data/flaky.bin', { body: flaky });
        recovered = true;
      } else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const settled = await runtime.whenSettled(delivery.id);

    expect(settled.status).toBe('completed');
    expect(settled.files[0]?.attempts).toBeGreaterThanOrEqual(2);
    expect(await readFile(join(fixture.downloadsDir, delivery.id, 'flaky.bin'))).toEqual(flaky);
  });

  it('ends callback_timed_out when no callback arrives before the deadline, and refuses a late one', async () => {
    runtime = await fixture.start();
    const { delivery } = await runtime.registerDelivery({ providerId: 'demo', callbackTimeoutSeconds: 1 });

    const settled = await runtime.whenSettled(delivery.id);
    const late = await runtime.acceptCallback(
      delivery.id,
      callbackFor(delivery.id, { files: [{ url: origin.url('/data/a.csv') }] }, fixture.profile),
    );

    expect(settled.status).toBe('callback_timed_out');
    expect(settled.error).toMatchObject({ code: 'CALLBACK_TIMED_OUT' });
    expect(late.verdict).toBe('closed');
    expect(origin.gets('/data/a.csv')).toBe(0);
  });

  it('walks a list in batches of three files when told to (the cloud shape: only index ranges travel in state)', async () => {
    const many = Array.from({ length: 7 }, (_, i) => randomBody(2 * KIB + i));
    for (const [i, body] of many.entries()) origin.set(`/many/${i}.bin`, { body });
    runtime = await fixture.start({ fileBatchSize: 3 });
    const { delivery } = await runtime.registerDelivery({ providerId: 'demo' });
    const payload = {
      files: many.map((_, i) => ({ url: origin.url(`/many/${i}.bin`), name: `many/${i}.bin` })),
    };

    await runtime.acceptCallback(delivery.id, callbackFor(delivery.id, payload, fixture.profile));
    const settled = await runtime.whenSettled(delivery.id);

    expect(settled.status).toBe('completed');
    expect(settled.files.map((f) => f.sha256)).toEqual(many.map((body) => sha256(body)));
    for (const [i, body] of many.entries()) {
      expect(await readFile(join(fixture.downloadsDir, delivery.id, 'many', `${i}.bin`))).toEqual(body);
      expect(origin.gets(`/many/${i}.bin`)).toBe(1);
    }
  });

  it('refuses a file that redirects outside the URL policy at connect time, fetching nothing from there', async () => {
    const elsewhere = await startOrigin({ '/secret': { body: randomBody(100) } });
    origin.set('/hop', { body: Buffer.alloc(0), redirectTo: elsewhere.url('/secret') });
    runtime = await fixture.start();
    const { delivery } = await runtime.registerDelivery({ providerId: 'demo' });
    const payload = {
      files: [
        { url: origin.url('/hop'), name: 'hop.bin', size: 100 },
        { url: origin.url('/data/b.bin'), name: 'b.bin' },
      ],
    };

    await runtime.acceptCallback(delivery.id, callbackFor(delivery.id, payload, fixture.profile));
    const settled = await runtime.whenSettled(delivery.id);
    await elsewhere.close();

    expect(settled.status).toBe('partially_failed');
    expect(settled.files[0]).toMatchObject({ status: 'failed', error: { code: 'BLOCKED_ADDRESS' } });
    expect(elsewhere.gets('/secret')).toBe(0);
    expect(settled.files[1]).toMatchObject({ status: 'completed' });
  });

  it('checks files given at registration against the URL policy before fetching anything', async () => {
    runtime = await fixture.start();
    const { delivery } = await runtime.registerDelivery({
      providerId: 'demo',
      files: [
        { url: origin.url('/data/a.csv'), name: 'a.csv' },
        { url: 'http://127.0.0.1:1/other-port', name: 'other.bin' },
      ],
    });

    await runtime.acceptCallback(delivery.id, callbackFor(delivery.id, { files: [] }, fixture.profile));
    const settled = await runtime.whenSettled(delivery.id);

    expect(settled.status).toBe('failed');
    expect(settled.error).toMatchObject({ code: 'URL_BLOCKED' });
    expect(settled.error?.message).toContain('other.bin');
    expect(origin.gets('/data/a.csv')).toBe(0);
  });

  async function runManifest(entries: unknown[]) {
    await runtime?.close();
    const manifestFixture = await runtimeFixture(origin, 'manifest');
    origin.set('/manifest.json', { body: Buffer.from(JSON.stringify({ files: entries })) });
    runtime = await manifestFixture.start();
    const { delivery } = await runtime.registerDelivery({ providerId: 'demo' });
    await runtime.acceptCallback(
      delivery.id,
      callbackFor(delivery.id, { manifest: origin.url('/manifest.json') }, manifestFixture.profile),
    );
    const settled = await runtime.whenSettled(delivery.id);
    const dir = join(manifestFixture.downloadsDir, delivery.id);
    return { settled, dir, cleanup: manifestFixture.remove };
  }

  it('resolves the file list from a manifest URL given in the callback', async () => {
    const { settled, dir, cleanup } = await runManifest([
      { url: origin.url('/data/b.bin'), name: 'exports/b.bin' },
    ]);

    expect(settled.status).toBe('completed');
    expect(settled.files.map((f) => f.name)).toEqual(['exports/b.bin']);
    expect(await readFile(join(dir, 'exports', 'b.bin'))).toEqual(bodies['/data/b.bin']);
    expect(origin.gets('/manifest.json')).toBe(1);
    await runtime?.close();
    runtime = undefined;
    await cleanup();
  });

  it('fails the delivery with FILE_LIST_INVALID and downloads nothing when a manifest name escapes the prefix', async () => {
    const { settled, dir, cleanup } = await runManifest([
      { url: origin.url('/data/a.csv'), name: 'a.csv' },
      { url: origin.url('/data/b.bin'), name: '../../escape/b.bin' },
    ]);

    expect(settled.status).toBe('failed');
    expect(settled.error).toMatchObject({ code: 'FILE_LIST_INVALID' });
    expect(settled.error?.message).toContain('".."');
    expect(settled.files).toEqual([]);
    expect(origin.gets('/data/a.csv') + origin.gets('/data/b.bin')).toBe(0);
    expect(JSON.parse(await readFile(join(dir, '_delivery.json'), 'utf8'))).toMatchObject({
      status: 'failed',
      error: { code: 'FILE_LIST_INVALID' },
    });
    await runtime?.close();
    runtime = undefined;
    await cleanup();
  });
});
