import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RangeServer, randomFile, startRangeServer } from '../helpers/rangeServer.js';
import { listDir, tempDir } from '../helpers/tempDir.js';

const pkgRoot = resolve(import.meta.dirname, '../..');
const cli = join(pkgRoot, 'dist/cli.js');
const MiB = 1024 * 1024;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[]): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<Run>((res) =>
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

const run = (args: string[]): Promise<Run> => start(args).done;

describe('fetch-stream CLI (dist/cli.js)', () => {
  let server: RangeServer;
  let dir: string;
  let remove: () => Promise<void>;
  const file = randomFile(3 * MiB + 17);

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

  it('--json: exit 0, a JSON summary on stdout, the verified file on disk', async () => {
    const out = join(dir, 'f.bin');

    const r = await run([server.url('f.bin'), '-o', out, '-c', '2', '--sha256', file.sha256, '--json']);

    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ ok: true, bytes: file.data.length, sha256: file.sha256, output: out });
    expect(summary.verified).toEqual([{ algorithm: 'sha256', source: 'caller', value: file.sha256 }]);
    expect((await readFile(out)).equals(file.data)).toBe(true);
  });

  it('--part-size sets the unit of work: smaller parts, more ranged requests, same file', async () => {
    const whole = await run([server.url('f.bin'), '-o', join(dir, 'a.bin'), '-c', '1', '--json']);
    const small = await run([
      server.url('f.bin'),
      '-o',
      join(dir, 'b.bin'),
      '-c',
      '1',
      '--part-size',
      '256K',
      '--json',
    ]);

    expect(whole.code).toBe(0);
    expect(small.code).toBe(0);
    const requests = (r: Run): number => (JSON.parse(r.stdout) as { requests: number }).requests;
    expect(requests(small)).toBeGreaterThan(requests(whole));
    expect((await readFile(join(dir, 'b.bin'))).equals(file.data)).toBe(true);
  });

  it('when stderr is not a terminal it carries only JSON lines: progress, then the outcome', async () => {
    const r = await run([server.url('f.bin'), '-o', join(dir, 'f.bin')]);

    expect(r.code).toBe(0);
    const lines = r.stderr
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; bytes: number; total: number });
    expect(lines.filter((l) => l.type === 'progress').at(-1)).toMatchObject({
      bytes: file.data.length,
      total: file.data.length,
    });
    expect(lines.at(-1)).toMatchObject({ type: 'done', bytes: file.data.length, sha256: file.sha256 });
  });

  it('exit 5 on a checksum mismatch, and no output file', async () => {
    const r = await run([
      server.url('f.bin'),
      '-o',
      join(dir, 'f.bin'),
      '--sha256',
      '0'.repeat(64),
      '--json',
    ]);

    expect(r.code).toBe(5);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      exitCode: 5,
      error: { code: 'CHECKSUM_MISMATCH' },
    });
    expect(await listDir(dir)).toEqual([]);
  });

  it('exit 4 on a terminal HTTP 4xx', async () => {
    const r = await run([server.url('nope.bin'), '-o', join(dir, 'x'), '--quiet']);

    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/HTTP 404/);
  });

  it('exit 3 when the server cannot be reached after retries', async () => {
    const r = await run(['http://127.0.0.1:1/x', '-o', join(dir, 'x'), '--retries', '0', '--quiet']);

    expect(r.code).toBe(3);
  });

  it('exit 2 on a usage error, reported as a JSON line when stderr is not a terminal', async () => {
    const r = await run([]);

    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr)).toMatchObject({
      type: 'error',
      exitCode: 2,
      error: { code: 'USAGE', message: 'Missing <url> (or -i <list>).' },
    });
  });

  it('--help documents the exit codes; --version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(join(pkgRoot, 'package.json'), 'utf8')) as { version: string };

    const help = await run(['--help']);
    const version = await run(['--version']);

    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/130\s+interrupted/);
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it('SIGINT: state saved, then the CLI dies of SIGINT (re-raised); rerunning the same command resumes', async () => {
    // 20 MiB = parts of 8, 8 and 4 MiB; paced so that the interrupt lands mid-download.
    const slow = randomFile(20 * MiB);
    server.put('slow.bin', slow.data, 10);
    const out = join(dir, 'slow.bin');
    const args = [server.url('slow.bin'), '-o', out, '-c', '2', '--json'];

    const first = start(args);
    // Wait until at least one part is durable in the journal, then interrupt.
    for (let i = 0; i < 600; i++) {
      const journal = await readFile(`${out}.part.json`, 'utf8').catch(() => '');
      if (/"parts":\[\[/.test(journal)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    first.child.kill('SIGINT');
    const interrupted = await first.done;
    expect(interrupted.signal).toBe('SIGINT');
    expect(JSON.parse(interrupted.stdout)).toMatchObject({
      ok: false,
      exitCode: 130,
      error: { code: 'ABORTED', resumable: true },
    });
    expect(await listDir(dir)).toEqual(['slow.bin.part', 'slow.bin.part.json']);

    const rerun = await run(args);

    expect(rerun.code).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { sha256: string; resumedBytes: number };
    expect(summary.sha256).toBe(slow.sha256);
    expect(summary.resumedBytes).toBeGreaterThan(0);
    expect((await readFile(out)).equals(slow.data)).toBe(true);
  });
});
