import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('../..', import.meta.url));
/** tsx's command line, as `pnpm start` runs it (a workspace dev dependency). */
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** `pnpm start`'s entry point on any free port, with its state in `dataDir`. */
function startService(dataDir: string): Started {
  const child = spawn(process.execPath, [tsxCli, 'src/local/main.ts'], {
    cwd: appDir,
    env: {
      ...process.env,
      PORT: '0',
      DOWNLOADER_DATA_DIR: join(dataDir, 'state'),
      DOWNLOADER_DOWNLOADS_DIR: join(dataDir, 'downloads'),
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.on('error', (error) => {
    output += `spawn failed: ${error.message}`;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

async function waitFor(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('pnpm start: one service per data folder', () => {
  const started: ChildProcess[] = [];
  let dir: string | undefined;

  afterEach(async () => {
    for (const child of started) {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = once(child, 'exit');
        child.kill('SIGTERM');
        await gone;
      }
    }
    started.length = 0;
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('a second service on the same data folder stops at once with a message naming the file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'downloader-stack-'));
    const first = startService(dir);
    started.push(first.child);
    await waitFor(
      () => first.output().includes('http://127.0.0.1:') || first.child.exitCode !== null,
      'the first service to listen',
    );
    expect(first.child.exitCode, first.output()).toBeNull();

    const second = startService(dir);
    started.push(second.child);
    const [code] = (await once(second.child, 'exit')) as [number | null];

    expect(code).toBe(1);
    expect(second.output()).toContain('is in use by another downloader process');
    expect(second.output()).toContain(join(dir, 'state'));
    expect(second.output()).not.toContain('    at '); // a message, not a stack trace
    expect(first.child.exitCode).toBeNull();
  });
});
