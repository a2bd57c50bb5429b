import { join } from 'node:path';
import { type NginxLogEntry, type NginxServer, startNginx, writeRandomFile } from '@downloader/fault-origin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError, download } from '../../src/index.js';
import { filesIn, makeTempDir, removeDir, sha256OfFile } from '../faults/helpers/files.js';

const MiB = 1024 * 1024;
const SIZE = 64 * MiB;
const FILE = 'big.bin';

function servedBytes(entries: ReadonlyArray<NginxLogEntry>): number {
  return entries.reduce((sum, entry) => sum + entry.bytes, 0);
}

describe('nginx as the well-behaved origin (64 MiB)', () => {
  let root: string;
  let work: string;
  let nginx: NginxServer;
  let expectedSha256: string;
  let etag: string;

  beforeAll(async () => {
    root = await makeTempDir('nginx-root');
    work = await makeTempDir('nginx-out');
    expectedSha256 = await writeRandomFile(join(root, FILE), SIZE, 'fetch-stream-nginx');
    // /limited/ paces each connection so an abort lands mid-transfer; / is unlimited.
    nginx = await startNginx({ root, limitRate: '24m' });
    const head = await fetch(`${nginx.baseUrl}/${FILE}`, { method: 'HEAD' });
    etag = head.headers.get('etag') ?? '';
  });
  afterAll(async () => {
    await nginx?.close();
    await removeDir(root);
    await removeDir(work);
  });

  it.each([1, 8])('%i connection(s): byte-identical, nginx serves every byte once', async (connections) => {
    const output = join(work, `c${connections}`, FILE);
    const logBefore = (await nginx.accessLog()).length;

    const result = await download(`${nginx.baseUrl}/${FILE}`, { output, connections, partSize: 4 * MiB });

    expect(result.sha256).toBe(expectedSha256);
    expect(await sha256OfFile(output)).toBe(expectedSha256);
    expect(result.bytes).toBe(SIZE);
    expect(result.ranged).toBe(true);
    expect(result.connectionsUsed).toBe(connections);
    expect(result.validators.etag).toBe(etag);
    expect(await filesIn(join(work, `c${connections}`))).toEqual([FILE]);
    const log = (await nginx.accessLog()).slice(logBefore);
    expect(log.length).toBe(result.requests);
    expect(servedBytes(log)).toBeLessThanOrEqual(SIZE + 1);
  });

  it('resumes after an AbortSignal abort: keeps what it had, re-fetches at most the parts in flight', async () => {
    const connections = 4;
    const partSize = MiB;
    const dir = join(work, 'resume');
    const output = join(dir, FILE);
    const url = `${nginx.baseUrl}/limited/${FILE}`;
    const controller = new AbortController();
    let bytesAtAbort = 0;

    const error = await download(url, {
      output,
      connections,
      partSize,
      signal: controller.signal,
      progressIntervalMs: 20,
      onProgress: (event) => {
        if (!controller.signal.aborted && event.bytes >= 0.4 * SIZE) {
          bytesAtAbort = event.bytes;
          controller.abort();
        }
      },
    }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(AbortedError);
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(bytesAtAbort).toBeGreaterThan(0);
    const logBefore = (await nginx.accessLog()).length;

    const result = await download(url, { output, connections, partSize });

    expect(result.sha256).toBe(expectedSha256);
    expect(await sha256OfFile(output)).toBe(expectedSha256);
    expect(result.resumedBytes).toBeGreaterThanOrEqual(bytesAtAbort - connections * partSize);
    expect(result.resumedBytes).toBeLessThan(SIZE);
    const log = (await nginx.accessLog()).slice(logBefore);
    // The second run fetched only what the first did not keep...
    expect(servedBytes(log)).toBeLessThanOrEqual(SIZE - result.resumedBytes + 1);
    // ...and made every ranged request conditional on the ETag nginx sent, so no two versions mix.
    const ranged = log.filter((entry) => entry.range !== undefined);
    expect(ranged.length).toBeGreaterThan(0);
    expect(ranged.every((entry) => entry.ifRange === etag)).toBe(true);
    expect(await filesIn(dir)).toEqual([FILE]);
  });
});
