import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FaultOrigin, startFaultOrigin } from '@downloader/fault-origin';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { payload, rangeResponse, startRawHttpServer } from '../helpers/rawHttpServer.js';
import { listDir, tempDir } from '../helpers/tempDir.js';
import { cliPath, ensureCliBuilt } from './helpers/cli.js';

const KiB = 1024;
const MiB = 1024 * KiB;

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function collect(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (t: string) => {
    stdout += t;
  });
  child.stderr?.setEncoding('utf8').on('data', (t: string) => {
    stderr += t;
  });
  return once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    stdout,
    stderr,
  }));
}

function run(args: readonly string[], cwd?: string): Promise<Finished> {
  return collect(spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd }));
}

/** Every stderr line parsed; throws (failing the test) when one is not JSON. */
function jsonLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function lastError(stderr: string): {
  exitCode: number;
  error: Record<string, unknown>;
  lastWords: string[];
} {
  const line = jsonLines(stderr).findLast((l) => l.type === 'error');
  if (line === undefined) throw new Error(`no error line in:\n${stderr}`);
  return line as unknown as { exitCode: number; error: Record<string, unknown>; lastWords: string[] };
}

describe('fetch-stream CLI conduct (stderr not a terminal)', () => {
  let origin: FaultOrigin;
  let dir: string;
  let remove: () => Promise<void>;

  beforeAll(async () => {
    ensureCliBuilt();
    origin = await startFaultOrigin({ seed: 'cli-conduct' });
  });
  afterAll(() => origin.close());
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(() => remove());

  it('Ctrl-C in a shell loop stops the loop: the CLI saves its state, then dies of SIGINT', async () => {
    origin.addFile('loop.bin', 4 * MiB);
    const url = origin.url('loop.bin', { mode: 'throttle', bytesPerSecond: 512 * KiB });
    const out = join(dir, 'loop.bin');
    const script = `for i in 1 2 3; do "${process.execPath}" "${cliPath}" "${url}" -o "${out}" -q; echo "after $i"; done; echo "loop done"`;
    // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group.
    const shell = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const finished = collect(shell);
    for (let i = 0; i < 400 && !existsSync(`${out}.part.json`); i++)
      await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 300));

    process.kill(-(shell.pid as number), 'SIGINT');
    const result = await finished;

    expect(result.stdout).not.toContain('after 1');
    expect(result.stdout).not.toContain('loop done');
    expect(result.signal === 'SIGINT' || result.code === 130).toBe(true);
    expect(await listDir(dir)).toEqual(['loop.bin.part', 'loop.bin.part.json']);
  });

  it('--json answers every exit, a usage error included; stderr stays JSON lines', async () => {
    const usage = await run(['--json', '--connections', 'many', 'http://127.0.0.1:1/x']);

    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({
      ok: false,
      exitCode: 2,
      error: {
        name: 'UsageError',
        code: 'USAGE',
        message: '--connections needs an integer from 1 to 64, got "many".',
      },
    });
    expect(jsonLines(usage.stderr)).toHaveLength(1);
  });

  it('an unknown flag is answered with the closest valid one', async () => {
    const r = await run(['--conections', '2', 'http://127.0.0.1:1/x', '--json']);

    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toBe(
      'Unknown option --conections. Did you mean --connections?',
    );
    const far = await run(['--frobnicate', 'http://127.0.0.1:1/x', '--json']);
    expect(JSON.parse(far.stdout).error.message).toBe('Unknown option --frobnicate.');
  });

  it('after retries: "gave up after N attempts", no promise that it is retried', async () => {
    const r = await run(['http://127.0.0.1:1/x', '-o', join(dir, 'x'), '--retries', '2', '-q']);

    expect(r.code).toBe(3);
    const { lastWords, error } = lastError(r.stderr);
    expect(lastWords[0]).toBe(
      'gave up after 3 attempts: Network error talking to 127.0.0.1:1: ECONNREFUSED.',
    );
    expect(error).toMatchObject({ code: 'NETWORK', attempts: 3, resumable: false });
    expect(r.stderr).not.toMatch(/is retried/);
  });

  it('a resume says what was kept, the end says what was verified', async () => {
    const name = 'resume.bin';
    const info = origin.addFile(name, 2 * MiB);
    const out = join(dir, name);
    const args = [origin.url(name), '-o', out, '-c', '1', '--part-size', '256K', '--sha256', info.sha256];
    // The second response (two parts) is cut after 300 000 bytes: one part is stored, then it fails.
    origin.setFaults(name, { mode: 'reset', afterBytes: 300_000 });
    const first = await run([...args, '--retries', '0']);
    expect(first.code).toBe(3);
    expect(lastError(first.stderr).lastWords[1]).toBe(
      'The parts already stored are kept: run the same command again to resume.',
    );

    origin.setFaults(name, undefined);
    const second = await run(args);

    expect(second.code).toBe(0);
    const lines = jsonLines(second.stderr);
    expect(lines.find((l) => l.type === 'start')).toMatchObject({
      output: out,
      ranged: true,
      resumedBytes: 512 * KiB,
    });
    expect(lines.find((l) => l.type === 'verified')).toMatchObject({
      output: out,
      algorithm: 'sha256',
      source: 'caller',
      value: info.sha256,
    });
    expect((await readFile(out)).length).toBe(2 * MiB);
  });

  it('a server without ranges: the last words do not promise a resume', async () => {
    const name = 'noranges.bin';
    origin.addFile(name, 2 * MiB);
    const url = origin.url(name, [{ mode: 'ignore-range' }, { mode: 'reset', afterBytes: 600_000 }]);

    const r = await run([url, '-o', join(dir, name), '--retries', '1', '-q']);

    expect(r.code).toBe(3);
    const { lastWords, error } = lastError(r.stderr);
    expect(error.resumable).toBe(false);
    expect(lastWords[1]).toMatch(/a rerun starts from the beginning/);
    expect(r.stderr).not.toMatch(/to resume\./);
  });

  it('-O names the file after the URL; so does a run without -o (into -d when given)', async () => {
    origin.addFile('named.bin', 100 * KiB);
    await mkdir(join(dir, 'sub'));

    const r = await run([origin.url('named.bin'), '-O', '-q'], dir);
    const bare = await run([origin.url('named.bin'), '-q', '-d', join(dir, 'sub')]);

    expect(r.code).toBe(0);
    expect(bare.code).toBe(0);
    expect(await listDir(dir)).toEqual(['named.bin', 'sub']);
    expect(await listDir(join(dir, 'sub'))).toEqual(['named.bin']);
  });

  it('a Content-Disposition name is used sanitized: no directories, no control characters, no dot files', async () => {
    const file = payload(64 * KiB);
    const server = await startRawHttpServer((req, socket) => {
      // Percent-encoded (RFC 8187), the name hides directories, a control character and a leading dot.
      const disposition =
        'Content-Disposition: attachment; filename="x.bin"; filename*=UTF-8\'\'..%2F..%2F.evil%07name.bin\r\n';
      if (req.head.startsWith('HEAD')) {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${file.data.length}\r\n${disposition}\r\n`);
      } else socket.write(rangeResponse(req, file.data, disposition));
    });
    try {
      const r = await run([`${server.url}/download?id=7`, '-q'], dir);

      expect(r.code).toBe(0);
      expect(await listDir(dir)).toEqual(['evilname.bin']);
      expect((await readFile(join(dir, 'evilname.bin'))).equals(file.data)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('-i list -j 3: every file, one summary, per-file exit status, and a rerun resumes the list as a whole', async () => {
    const names = ['a.bin', 'b.bin', 'c.bin', 'd.bin'];
    const infos = names.map((n, i) => origin.addFile(`list/${n}`, 100 * KiB + i));
    origin.addFile('list/bad.bin', 10 * KiB);
    const list = [
      ...names
        .slice(0, 2)
        .map((n, i) => `${origin.url(`list/${n}`)}\n  out=${n}\n  checksum=sha-256=${infos[i]?.sha256}`),
      ...names.slice(2).map((n) => JSON.stringify({ url: origin.url(`list/${n}`), output: n })),
      `${origin.url('list/bad.bin')}\n  out=bad.bin\n  checksum=sha-256=${'0'.repeat(64)}`,
      JSON.stringify({ url: origin.url('list/missing.bin'), output: 'missing.bin' }),
    ].join('\n');
    await writeFile(join(dir, 'list.txt'), list);
    const outDir = join(dir, 'out');

    const first = await run(['-i', join(dir, 'list.txt'), '-j', '3', '-d', outDir, '--json']);

    expect(first.code).toBe(5);
    const result = JSON.parse(first.stdout) as {
      exitCode: number;
      files: Array<{ output: string; status: string; exitCode: number }>;
    };
    expect(result.files.map((f) => [f.output.slice(outDir.length + 1), f.status, f.exitCode])).toEqual([
      ['a.bin', 'downloaded', 0],
      ['b.bin', 'downloaded', 0],
      ['c.bin', 'downloaded', 0],
      ['d.bin', 'downloaded', 0],
      ['bad.bin', 'failed', 5],
      ['missing.bin', 'failed', 4],
    ]);
    const lines = jsonLines(first.stderr);
    expect(lines.filter((l) => l.type === 'done')).toHaveLength(4);
    expect(lines.filter((l) => l.type === 'error').map((l) => l.exitCode)).toEqual(
      expect.arrayContaining([4, 5]),
    );
    expect(lines.at(-1)).toMatchObject({
      type: 'summary',
      files: 6,
      downloaded: 4,
      kept: 0,
      failed: 2,
      exitCode: 5,
    });
    for (const [i, n] of names.entries()) {
      expect((await readFile(join(outDir, n))).length).toBe(100 * KiB + i);
    }

    origin.resetStats();
    const again = await run(['-i', join(dir, 'list.txt'), '-j', '3', '-d', outDir, '--json']);

    const rerun = JSON.parse(again.stdout) as { files: Array<{ status: string }> };
    expect(rerun.files.map((f) => f.status)).toEqual(['kept', 'kept', 'kept', 'kept', 'failed', 'failed']);
    // Only the two failed entries were asked for again.
    expect(new Set(origin.stats.perRequest.map((r) => r.url.split('?')[0]))).toEqual(
      new Set(['/list/bad.bin', '/list/missing.bin']),
    );
  });
});
