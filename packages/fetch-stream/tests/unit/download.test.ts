import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortedError,
  BlockedAddressError,
  ChecksumMismatchError,
  type ConnectTarget,
  download,
  HttpStatusError,
  type ProgressEvent,
} from '../../src/index.js';
import { type RangeServer, randomFile, startRangeServer } from '../helpers/rangeServer.js';
import { listDir, tempDir } from '../helpers/tempDir.js';

const MiB = 1024 * 1024;
const quick = { retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 50 } };

describe('download() against a loopback origin', () => {
  let server: RangeServer;
  let dir: string;
  let remove: () => Promise<void>;
  const big = randomFile(24 * MiB + 4321);

  beforeAll(async () => {
    server = await startRangeServer();
    server.put('big.bin', big.data);
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
    server.requests.length = 0;
  });
  afterEach(() => remove());

  it('one connection: byte-identical file, sha256 returned, every byte served exactly once', async () => {
    const output = join(dir, 'big.bin');

    const result = await download(server.url('big.bin'), { output, connections: 1, ...quick });

    expect((await readFile(output)).equals(big.data)).toBe(true);
    expect(result).toMatchObject({
      bytes: big.data.length,
      sha256: big.sha256,
      ranged: true,
      connectionsUsed: 1,
    });
    expect(server.bytesServed()).toBe(big.data.length);
    expect(server.requests.every((r) => r.acceptEncoding === 'identity')).toBe(true);
    expect(await listDir(dir)).toEqual(['big.bin']);
  });

  it('four connections: byte-identical, several sockets used, nothing fetched twice', async () => {
    const output = join(dir, 'big.bin');

    const result = await download(server.url('big.bin'), { output, connections: 4, partSize: MiB, ...quick });

    expect((await readFile(output)).equals(big.data)).toBe(true);
    expect(result.sha256).toBe(big.sha256);
    expect(result.connectionsUsed).toBe(4);
    expect(result.refetchedBytes).toBe(0);
    expect(server.bytesServed()).toBe(big.data.length);
    // Every ranged request after the first names the version it continues, with its strong ETag.
    const ifRanges = new Set(server.requests.slice(1).map((r) => r.ifRange));
    expect([...ifRanges]).toEqual([expect.stringMatching(/^"v\d+-/)]);
  });

  it('a journal left by another version is discarded: starts over and says so', async () => {
    const slow = randomFile(16 * MiB);
    server.put('slow.bin', slow.data, 2);
    const output = join(dir, 'slow.bin');
    const controller = new AbortController();

    const first = download(server.url('slow.bin'), {
      output,
      connections: 4,
      partSize: 512 * 1024,
      signal: controller.signal,
      progressIntervalMs: 20,
      onProgress: (e) => {
        if (e.bytes > 6 * MiB) controller.abort();
      },
      ...quick,
    });
    await expect(first).rejects.toBeInstanceOf(AbortedError);
    expect(await listDir(dir)).toEqual(['slow.bin.part', 'slow.bin.part.json']);
    const servedBefore = server.bytesServed();

    const next = randomFile(16 * MiB);
    server.put('slow.bin', next.data); // a new version with a new ETag

    const result = await download(server.url('slow.bin'), { output, connections: 4, ...quick });

    expect(result).toMatchObject({ restartedBecauseChanged: true, resumedBytes: 0, sha256: next.sha256 });
    expect((await readFile(output)).equals(next.data)).toBe(true);
    expect(servedBefore).toBeGreaterThan(0);
  });

  it('resumes onto the same version, counting the bytes it did not fetch again', async () => {
    const slow = randomFile(16 * MiB);
    server.put('same.bin', slow.data, 2);
    const output = join(dir, 'same.bin');
    const controller = new AbortController();

    await expect(
      download(server.url('same.bin'), {
        output,
        connections: 4,
        partSize: 512 * 1024,
        signal: controller.signal,
        progressIntervalMs: 20,
        onProgress: (e) => {
          if (e.bytes > 6 * MiB) controller.abort();
        },
        ...quick,
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    server.requests.length = 0;

    const result = await download(server.url('same.bin'), {
      output,
      connections: 4,
      partSize: 512 * 1024,
      ...quick,
    });

    expect((await readFile(output)).equals(slow.data)).toBe(true);
    expect(result.sha256).toBe(slow.sha256);
    expect(result.resumedBytes).toBeGreaterThanOrEqual(5 * MiB);
    expect(result.restartedBecauseChanged).toBe(false);
    // The second run fetched exactly the parts the first one had not completed.
    expect(server.bytesServed()).toBe(slow.data.length - result.resumedBytes);
    expect(server.requests[0]?.ifRange).toBeDefined();
  });

  it('a wrong expected sha256 fails with ChecksumMismatchError and leaves no file at all', async () => {
    const output = join(dir, 'big.bin');
    const wrong = 'f'.repeat(64);

    const error = await download(server.url('big.bin'), {
      output,
      connections: 4,
      partSize: MiB,
      checksum: { sha256: wrong },
      ...quick,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(error).toMatchObject({
      algorithm: 'sha256',
      expected: wrong,
      actual: big.sha256,
      source: 'caller',
    });
    expect(await listDir(dir)).toEqual([]);
  });

  it('verifies caller md5 and crc32c along with sha256', async () => {
    const small = randomFile(300_000);
    server.put('small.bin', small.data);
    const { createHash } = await import('node:crypto');
    const { crc32c } = await import('../../src/index.js');
    const md5 = createHash('md5').update(small.data).digest('hex');
    const crc = crc32c(small.data).toString(16).padStart(8, '0');

    const result = await download(server.url('small.bin'), {
      output: join(dir, 'small.bin'),
      checksum: { md5, crc32c: crc.toUpperCase() },
    });

    expect(result.verified).toEqual([
      { algorithm: 'md5', source: 'caller', value: md5 },
      { algorithm: 'crc32c', source: 'caller', value: crc },
    ]);
  });

  it('calls the connect guard with the resolved address on every redirect hop', async () => {
    const port = new URL(server.origin).port;
    server.redirect('/hop1', `http://localhost:${port}/hop2`, 301);
    server.redirect('/hop2', '/big.bin', 307);
    const seen: ConnectTarget[] = [];

    const result = await download(server.url('hop1'), {
      output: join(dir, 'big.bin'),
      connections: 1,
      connectGuard: (t) => {
        seen.push(t);
      },
    });

    expect(result.sha256).toBe(big.sha256);
    expect(result.url).toBe(`http://localhost:${port}/big.bin`);
    const firstRequest = seen
      .slice(0, 3)
      .map((t) => [t.redirectHop, t.hostname, t.address, t.family, t.port]);
    expect(firstRequest).toEqual([
      [0, '127.0.0.1', '127.0.0.1', 4, Number(port)],
      [1, 'localhost', '127.0.0.1', 4, Number(port)],
      [2, 'localhost', '127.0.0.1', 4, Number(port)],
    ]);
  });

  it('a guard that refuses a hop stops the download before that host is contacted', async () => {
    const port = new URL(server.origin).port;
    server.redirect('/away', `http://localhost:${port}/big.bin`, 302);

    const error = await download(server.url('away'), {
      output: join(dir, 'big.bin'),
      connectGuard: (t) => {
        if (t.hostname === 'localhost') throw new Error('not on the allow list');
      },
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(error).toMatchObject({ code: 'BLOCKED_ADDRESS', hostname: 'localhost', address: '127.0.0.1' });
    expect(server.requests.map((r) => r.path)).toEqual(['/away']);
    expect(await listDir(dir)).toEqual([]);
  });

  it('a redirect loop fails with RedirectLoopError', async () => {
    server.redirect('/loop-a', '/loop-b');
    server.redirect('/loop-b', '/loop-a');

    await expect(download(server.url('loop-a'), { output: join(dir, 'x') })).rejects.toMatchObject({
      name: 'RedirectLoopError',
      code: 'REDIRECT_LOOP',
    });
  });

  it('a 404 is terminal: HttpStatusError after one request, no output', async () => {
    const error = await download(server.url('missing.bin'), { output: join(dir, 'x'), ...quick }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ status: 404, code: 'HTTP_STATUS', retryable: false });
    expect(server.requests).toHaveLength(1);
    expect(await listDir(dir)).toEqual([]);
  });

  it('a 403 asks refreshUrl for a new URL and continues with it', async () => {
    server.fail('/expired.bin', 403);
    const contexts: unknown[] = [];

    const result = await download(server.url('expired.bin'), {
      output: join(dir, 'big.bin'),
      retry: {
        refreshUrl: (c) => {
          contexts.push(c);
          return server.url('big.bin');
        },
      },
    });

    expect(result.sha256).toBe(big.sha256);
    expect(contexts).toEqual([{ url: server.url('expired.bin'), status: 403, attempt: 0 }]);
  });

  it('reports progress: increasing bytes, the total, and a final event at 100%', async () => {
    const events: ProgressEvent[] = [];

    await download(server.url('big.bin'), {
      output: join(dir, 'big.bin'),
      progressIntervalMs: 10,
      onProgress: (e) => events.push(e),
    });

    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.every((e) => e.total === big.data.length)).toBe(true);
    const bytes = events.map((e) => e.bytes);
    expect([...bytes].sort((a, b) => a - b)).toEqual(bytes);
    expect(events.at(-1)?.bytes).toBe(big.data.length);
  });
});
