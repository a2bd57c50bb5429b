import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RangeServer, randomFile, startRangeServer } from '../helpers/rangeServer.js';
import { listDir, tempDir } from '../helpers/tempDir.js';

const pkgRoot = resolve(import.meta.dirname, '../..');
const cli = join(pkgRoot, 'dist/cli.js');
const MiB = 1024 * 1024;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((res) => child.on('close', (code) => res({ code, stdout, stderr })));
}

/** Reads a FIFO to its end and returns the sha256 and length of what came through. */
function drain(path: string): Promise<{ sha256: string; bytes: number }> {
  return new Promise((res, rej) => {
    const hash = createHash('sha256');
    let bytes = 0;
    createReadStream(path)
      .on('data', (chunk) => {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      })
      .on('end', () => res({ sha256: hash.digest('hex'), bytes }))
      .on('error', rej);
  });
}

describe('fetch-stream CLI: outputs that are not files, headers it must not send', () => {
  let server: RangeServer;
  let dir: string;
  let remove: () => Promise<void>;
  const file = randomFile(3 * MiB + 5);

  beforeAll(async () => {
    if (!existsSync(cli)) {
      execFileSync('pnpm', ['nx', 'run', '@downloader/fetch-stream:build'], {
        cwd: pkgRoot,
        stdio: 'ignore',
      });
    }
    server = await startRangeServer();
    server.put('f.bin', file.data);
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(() => remove());

  it('-o <FIFO> streams the verified bytes into it and leaves it a FIFO (never renamed over)', async () => {
    const fifo = join(dir, 'out.fifo');
    execFileSync('mkfifo', [fifo]);

    const [r, read] = await Promise.all([
      run([
        server.url('f.bin'),
        '-o',
        fifo,
        '-c',
        '4',
        '--part-size',
        '256K',
        '--sha256',
        file.sha256,
        '--json',
      ]),
      drain(fifo),
    ]);

    expect(r.code).toBe(0);
    expect(read).toEqual({ sha256: file.sha256, bytes: file.data.length });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(await listDir(dir)).toEqual(['out.fifo']);
  });

  it.each(['Transfer-Encoding: chunked', 'Expect: 100-continue', 'Upgrade: h2c', 'TE: trailers'])(
    '-H "%s" on a GET is refused with exit 2, before any request',
    async (header) => {
      const before = server.requests.length;

      const r = await run([server.url('f.bin'), '-o', join(dir, 'f.bin'), '-H', header, '--json']);

      expect(r.code).toBe(2);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_OPTIONS' } });
      expect(server.requests.length).toBe(before);
      expect(await listDir(dir)).toEqual([]);
    },
  );
});
