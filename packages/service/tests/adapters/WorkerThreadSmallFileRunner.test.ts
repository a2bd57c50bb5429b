import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkerThreadSmallFileRunner } from '../../src/adapters/local/workers/WorkerThreadSmallFileRunner.js';
import type { SmallFileJob } from '../../src/handlers/SmallFileRunner.js';
import { type Origin, startOrigin } from '../helpers/startOrigin.js';
import { makeTempDir } from '../helpers/tempDir.js';

const KIB = 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('WorkerThreadSmallFileRunner', () => {
  const body = randomBytes(700 * KIB);
  let origin: Origin;
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let runner: WorkerThreadSmallFileRunner | undefined;

  beforeEach(async () => {
    origin = await startOrigin({
      '/file.bin': { body },
      '/slow.bin': { body, chunkDelayMs: 50 },
      '/gone.bin': { body, status: 404 },
    });
    dir = await makeTempDir('svc-threads-');
  });

  afterEach(async () => {
    await runner?.close();
    runner = undefined;
    await origin.close();
    await dir.remove();
  });

  const job = (path: string, name: string, extra: Partial<SmallFileJob> = {}): SmallFileJob => ({
    url: origin.url(path),
    path: join(dir.path, name),
    connections: 1,
    urlPolicy: { allowHttp: true, loopbackException: { host: '127.0.0.1', port: origin.port } },
    retries: 0,
    signal: new AbortController().signal,
    onProgress: () => undefined,
    ...extra,
  });

  it('writes a small file of known size once, from memory: the file and nothing beside it, during or after', async () => {
    // Prepare: the folder is watched for every name that appears in it while the download runs.
    runner = new WorkerThreadSmallFileRunner({ threads: 1, resolveFrom: import.meta.url });
    const seen = new Set<string>();
    const watcher = (await import('node:fs')).watch(dir.path, (_event, name) => {
      if (name !== null) seen.add(String(name));
    });

    // Act
    const result = await runner.run(
      job('/file.bin', 'small.bin', { expectedSize: body.length, expected: { sha256: sha256(body) } }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    watcher.close();

    // Assess: one temporary companion (.part, renamed), no lock file, no journal.
    expect(result).toEqual({ bytes: body.length, sha256: sha256(body) });
    expect(sha256(await readFile(join(dir.path, 'small.bin')))).toBe(sha256(body));
    expect(await readdir(dir.path)).toEqual(['small.bin']);
    expect([...seen].sort()).toEqual(['small.bin', 'small.bin.part']);
  });

  it('refuses a small file larger than its expected size, writing nothing', async () => {
    runner = new WorkerThreadSmallFileRunner({ threads: 1, resolveFrom: import.meta.url });

    const outcome = await runner.run(job('/file.bin', 'short.bin', { expectedSize: body.length - 1 })).then(
      () => 'resolved',
      (error: { code?: string; retryable?: boolean }) => ({ code: error.code, retryable: error.retryable }),
    );

    expect(outcome).toMatchObject({ retryable: false });
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('downloads files on its threads into their paths, verified, and reports bytes and sha256', async () => {
    // Prepare
    runner = new WorkerThreadSmallFileRunner({ threads: 2, resolveFrom: import.meta.url });

    // Act
    const results = await Promise.all(
      ['a.bin', 'b.bin', 'c.bin'].map((name) =>
        runner?.run(job('/file.bin', name, { expected: { sha256: sha256(body) } })),
      ),
    );

    // Assess
    expect(results).toEqual(Array(3).fill({ bytes: body.length, sha256: sha256(body) }));
    for (const name of ['a.bin', 'b.bin', 'c.bin']) {
      // Compared as hashes: a deep equality of 700 KiB takes the test runner seconds.
      expect(sha256(await readFile(join(dir.path, name)))).toBe(sha256(body));
    }
    // No .part file or journal left once a file is complete.
    expect((await readdir(dir.path)).sort()).toEqual(['a.bin', 'b.bin', 'c.bin']);
  });

  it("rejects with the download's code and retryable flag, so the workflow classifies it as in-process", async () => {
    // Prepare
    runner = new WorkerThreadSmallFileRunner({ threads: 1, resolveFrom: import.meta.url });

    // Act
    const missing = runner.run(job('/gone.bin', 'gone.bin'));
    const wrongSum = runner.run(job('/file.bin', 'wrong.bin', { expected: { sha256: '0'.repeat(64) } }));

    // Assess
    await expect(missing).rejects.toMatchObject({ code: 'HTTP_STATUS', retryable: false });
    await expect(wrongSum).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', retryable: false });
    expect(
      (await readdir(dir.path)).filter((name) => !name.endsWith('.part') && !name.endsWith('.json')),
    ).toEqual([]);
  });

  it("applies the job's URL policy at connect time on the thread: a refused port is never contacted", async () => {
    // Prepare
    runner = new WorkerThreadSmallFileRunner({ threads: 1, resolveFrom: import.meta.url });

    // Act
    const refused = runner.run(job('/file.bin', 'refused.bin', { urlPolicy: { allowHttp: true } }));

    // Assess
    await expect(refused).rejects.toMatchObject({ code: 'BLOCKED_ADDRESS', retryable: false });
    expect(origin.gets('/file.bin')).toBe(0);
  });

  it('stops a download when its signal aborts, leaving no finished file', async () => {
    // Prepare
    runner = new WorkerThreadSmallFileRunner({ threads: 1, resolveFrom: import.meta.url });
    const aborter = new AbortController();
    let progressed = 0;

    // Act
    const running = runner.run(
      job('/slow.bin', 'slow.bin', {
        signal: aborter.signal,
        onProgress: (bytes) => {
          progressed = bytes;
        },
      }),
    );
    while (origin.bytesSent('/slow.bin') < 128 * KIB) await new Promise((resolve) => setTimeout(resolve, 10));
    aborter.abort();

    // Assess
    await expect(running).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await readdir(dir.path)).not.toContain('slow.bin');
    expect(progressed).toBeLessThan(body.length);
  });

  it('fails the jobs of a thread that stops as retryable, and takes no job once closed', async () => {
    // Prepare
    runner = new WorkerThreadSmallFileRunner({ threads: 1, resolveFrom: import.meta.url });
    const running = runner.run(job('/slow.bin', 'cut.bin'));
    while (origin.bytesSent('/slow.bin') < 64 * KIB) await new Promise((resolve) => setTimeout(resolve, 10));

    // Act
    await runner.close();

    // Assess
    await expect(running).rejects.toMatchObject({ code: 'DOWNLOAD_THREAD_FAILED', retryable: true });
    await expect(runner.run(job('/file.bin', 'late.bin'))).rejects.toThrow(/closed/);
    expect(await readdir(dir.path)).not.toContain('late.bin');
  });
});
