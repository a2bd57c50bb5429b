import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectTarget } from '@downloader/fetch-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exitCodes.js';
import { JsonLogger } from '../../src/log/JsonLogger.js';
import { runBatchJob } from '../../src/run/runBatchJob.js';
import { runRunner } from '../helpers/runRunner.js';

const body = randomBytes(200_000);
let server: Server;
let base: string;

/** `/a` → 302 `/b` → 302 `/file`; `/file` serves `body` (with ranges). */
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/a') return void res.writeHead(302, { location: '/b' }).end();
    if (req.url === '/b') return void res.writeHead(302, { location: '/file' }).end();
    if (req.url !== '/file') return void res.writeHead(404).end();
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
    res.writeHead(range ? 206 : 200, {
      'content-length': String(end - start + 1),
      'accept-ranges': 'bytes',
      etag: '"fixed"',
      ...(range ? { 'content-range': `bytes ${start}-${end}/${body.length}` } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body.subarray(start, end + 1));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

const settingsFor = (toFile: string) => ({
  url: `${base}/a`,
  toFile,
  connections: 1,
  progressIntervalMs: 1000,
});

describe('runBatchJob connectGuard', () => {
  it('asks the guard before every hop of a redirected download', async () => {
    // Prepare
    const toFile = join(tmpdir(), `br-guard-${process.pid}-ok.bin`);
    const seen: ConnectTarget[] = [];

    // Act
    const summary = await runBatchJob({
      settings: settingsFor(toFile),
      logger: new JsonLogger(() => undefined),
      connectGuard: (target) => {
        seen.push(target);
      },
    });

    // Assess
    expect(seen.slice(0, 3).map((t) => [t.url.pathname, t.redirectHop, t.address])).toEqual([
      ['/a', 0, '127.0.0.1'],
      ['/b', 1, '127.0.0.1'],
      ['/file', 2, '127.0.0.1'],
    ]);
    expect(summary.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(await readFile(toFile)).toEqual(body);
    await rm(toFile, { force: true });
  });

  it('fails with BLOCKED_ADDRESS and writes nothing when the guard refuses a redirect hop', async () => {
    // Prepare
    const toFile = join(tmpdir(), `br-guard-${process.pid}-refused.bin`);
    await rm(toFile, { force: true });

    // Act
    const running = runBatchJob({
      settings: settingsFor(toFile),
      logger: new JsonLogger(() => undefined),
      connectGuard: (target) => {
        if (target.url.pathname === '/file') throw new Error('not on the list');
      },
    });

    // Assess
    await expect(running).rejects.toMatchObject({ code: 'BLOCKED_ADDRESS' });
    await expect(stat(toFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('batch-runner CLI without a guard', () => {
  it('refuses to run (exit 64, nothing fetched) when given a URL policy it cannot apply', async () => {
    // Prepare
    const toFile = join(tmpdir(), `br-guard-${process.pid}-cli.bin`);
    await rm(toFile, { force: true });

    // Act
    const run = await runRunner(['--url', `${base}/file`, '--to-file', toFile], {
      DOWNLOADER_URL_POLICY: '{"allowHttp":true}',
    });

    // Assess
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.lines.at(-1)).toMatchObject({ event: 'failed', code: 'USAGE' });
    expect(String(run.lines.at(-1)?.message)).toContain('DOWNLOADER_URL_POLICY');
    await expect(stat(toFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
