import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { type FaultOrigin, startFaultOrigin } from '@downloader/fault-origin';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tempDir.js';
import { cliPath, ensureCliBuilt } from './helpers/cli.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Single-quotes a word for sh. */
function sh(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * Runs the CLI on a pseudo-terminal `columns` wide (util-linux `script`), so stderr is a TTY
 * as on a user's terminal. Resolves with everything the terminal received and the exit code.
 */
async function onTerminal(
  args: readonly string[],
  columns: number,
): Promise<{ code: number | null; screen: string }> {
  const command = `stty cols ${columns} rows 24; ${sh(process.execPath)} ${sh(cliPath)} ${args.map(sh).join(' ')}`;
  const child = spawn('script', ['-qefc', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let screen = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => {
    screen += t;
  });
  const [code] = await once(child, 'close');
  return { code: code as number | null, screen };
}

/** What the terminal shows line by line: each `\r` redraw and each line, control sequences removed. */
function drawn(screen: string): string[] {
  return screen
    .split(/\r\n|\r|\n/)
    .map((s) => s.replaceAll('\x1b[K', ''))
    .filter((s) => s !== '');
}

describe('fetch-stream CLI on a terminal (a pty)', () => {
  let origin: FaultOrigin;
  let dir: string;
  let remove: () => Promise<void>;

  beforeAll(async () => {
    ensureCliBuilt();
    origin = await startFaultOrigin({ seed: 'cli-terminal' });
  });
  afterAll(() => origin.close());
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(() => remove());

  it('the bar fits a 40-column terminal (never wraps) and the end says what was verified', async () => {
    const info = origin.addFile('bar.bin', 3 * MiB);
    const url = origin.url('bar.bin', { mode: 'throttle', bytesPerSecond: 2 * MiB });

    const { code, screen } = await onTerminal([url, '-o', join(dir, 'bar.bin'), '--sha256', info.sha256], 40);

    expect(code).toBe(0);
    const lines = drawn(screen);
    const bars = lines.filter((l) => l.startsWith('['));
    expect(bars.length).toBeGreaterThan(2);
    for (const bar of bars) expect(bar.length, bar).toBeLessThan(40);
    expect(lines).toContain(`${join(dir, 'bar.bin')}: sha256 verified (expected value matched)`);
    expect(screen).not.toContain('{"type"');
  });

  it('a resume says how much was kept; a failure says whether a rerun resumes', async () => {
    const name = 'resume.bin';
    origin.addFile(name, 2 * MiB);
    const out = join(dir, name);
    const args = [origin.url(name), '-o', out, '-c', '1', '--part-size', '256K'];
    origin.setFaults(name, { mode: 'reset', afterBytes: 300_000 });
    const first = await onTerminal([...args, '--retries', '0'], 100);
    expect(first.code).toBe(3);
    expect(drawn(first.screen)).toContain(
      'fetch-stream: The parts already stored are kept: run the same command again to resume.',
    );

    origin.setFaults(name, undefined);
    const second = await onTerminal(args, 100);

    expect(second.code).toBe(0);
    expect(drawn(second.screen)).toContain(`${out}: resuming: 512.0 KiB of 2.0 MiB kept`);
  });
});
