import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildProcessLargeFileRunner } from '../../src/adapters/local/runner/ChildProcessLargeFileRunner.js';
import { defaultBatchRunnerCommand } from '../../src/runtime/defaultBatchRunnerCommand.js';
import { type Origin, startOrigin } from '../helpers/startOrigin.js';
import { makeTempDir } from '../helpers/tempDir.js';

let origin: Origin;
let dir: Awaited<ReturnType<typeof makeTempDir>>;
const body = Buffer.alloc(100_000, 7);
const slowBody = Buffer.alloc(4 * 1024 * 1024, 9);

beforeAll(async () => {
  origin = await startOrigin({ '/file.bin': { body }, '/slow.bin': { body: slowBody, chunkDelayMs: 50 } });
  dir = await makeTempDir('guarded-runner-');
});

afterAll(async () => {
  await origin.close();
  await dir.remove();
});

/** Runs the built guarded entry (`dist/guardedBatchRunner.js`) as the local runtime does. */
async function runGuarded(
  name: string,
  policy: string | undefined,
): Promise<{ code: number | null; stdout: string; target: string }> {
  const [program, entry] = defaultBatchRunnerCommand();
  const target = join(dir.path, name);
  const child = spawn(program, [entry, '--url', origin.url('/file.bin'), '--to-file', target], {
    env: { PATH: process.env.PATH ?? '', ...(policy === undefined ? {} : { DOWNLOADER_URL_POLICY: policy }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, target };
}

describe('guarded batch-runner entry', () => {
  it('downloads when the policy allows the origin', async () => {
    const policy = JSON.stringify({
      allowHttp: true,
      loopbackException: { host: '127.0.0.1', port: origin.port },
    });
    const run = await runGuarded('allowed.bin', policy);
    expect(run.code).toBe(0);
    expect((await stat(run.target)).size).toBe(body.length);
  });

  it('fails closed without a policy: loopback refused with exit 65 BLOCKED_ADDRESS, nothing written', async () => {
    const before = origin.gets('/file.bin');
    const run = await runGuarded('no-policy.bin', undefined);
    expect(run.code).toBe(65);
    expect(run.stdout).toContain('"code":"BLOCKED_ADDRESS"');
    expect(origin.gets('/file.bin')).toBe(before);
    await expect(stat(run.target)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a malformed policy with exit 64 before fetching anything', async () => {
    const before = origin.gets('/file.bin');
    const run = await runGuarded('bad-policy.bin', '{"allowHttp":"yes"}');
    expect(run.code).toBe(64);
    expect(run.stdout).toContain('DOWNLOADER_URL_POLICY');
    expect(origin.gets('/file.bin')).toBe(before);
  });

  it('stops as on SIGTERM (state saved, exit 75) when its parent goes away and stdin closes', async () => {
    const [program, entry] = defaultBatchRunnerCommand();
    const target = join(dir.path, 'orphan.bin');
    const policy = JSON.stringify({
      allowHttp: true,
      loopbackException: { host: '127.0.0.1', port: origin.port },
    });
    const child = spawn(program, [entry, '--url', origin.url('/slow.bin'), '--to-file', target], {
      env: { PATH: process.env.PATH ?? '', DOWNLOADER_URL_POLICY: policy, DOWNLOADER_PARENT_WATCH: 'stdin' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdout.resume();
    // Mid-download (the body takes about 3 s), the parent "dies": its end of the stdin pipe closes.
    // The cut waits for the first bytes on disk rather than a fixed delay: on a loaded machine the
    // child may not have started its download after any fixed time.
    const closed = once(child, 'close');
    await waitForBytes(`${target}.part`);
    child.stdin.end();
    const [code] = (await closed) as [number | null];
    expect(code).toBe(75);
    // Resumable state is left, and no lock holds the file for the next attempt.
    expect((await stat(`${target}.part`)).size).toBe(slowBody.length);
    await expect(stat(`${target}.part.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes a delivery id that starts with "-" (one in 64 base64url ids does) as the value it is', async () => {
    const target = join(dir.path, 'dash-id.bin');
    const lines: string[] = [];
    const runner = new ChildProcessLargeFileRunner({
      command: defaultBatchRunnerCommand(),
      onLog: (line) => lines.push(line),
    });

    const result = await runner.run({
      deliveryId: '-Z6GFrMu6q7F2MKFANMNpG3nR_ai11-f',
      fileIndex: 0,
      url: origin.url('/file.bin'),
      target: { kind: 'file', path: target },
      size: body.length,
      urlPolicy: { allowHttp: true, loopbackException: { host: '127.0.0.1', port: origin.port } },
    });

    expect(result.bytes).toBe(body.length);
    expect((await stat(target)).size).toBe(body.length);
    expect(lines.map((line) => JSON.parse(line).deliveryId)).toContain('-Z6GFrMu6q7F2MKFANMNpG3nR_ai11-f');
  });
});

/** Resolves once `path` exists with at least one byte (polled; the test's own timeout bounds it). */
async function waitForBytes(path: string): Promise<void> {
  for (;;) {
    const size = await stat(path).then(
      (info) => info.size,
      () => 0,
    );
    if (size > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
