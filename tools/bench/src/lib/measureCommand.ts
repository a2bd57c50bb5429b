import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** One timed run of a child process. */
export interface CommandSample {
  readonly wallSeconds: number;
  /** Peak resident set size of the child in bytes, when it reports one (our Node CLIs do). */
  readonly peakRssBytes?: number;
}

const RSS_REPORTER = join(import.meta.dirname, 'rssReporter.cjs');

/**
 * Runs a command to completion and times it. With `reportRss`, the command must be a Node
 * script: it is started with a preload that writes the process's peak RSS on exit, so the
 * figure is the child's own (not the benchmark harness's).
 */
export async function measureCommand(
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly reportRss?: boolean; readonly scratchDir: string },
): Promise<CommandSample> {
  const rssFile = join(options.scratchDir, `rss-${process.pid}-${Date.now()}.txt`);
  const env = { ...process.env };
  let finalArgs = [...args];
  if (options.reportRss) {
    finalArgs = ['--require', RSS_REPORTER, ...args];
    env.BENCH_RSS_FILE = rssFile;
  }
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, finalArgs, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}\n${stderr}`));
    });
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (!options.reportRss) return { wallSeconds };
  const peakRssBytes = Number(await readFile(rssFile, 'utf8'));
  await rm(rssFile, { force: true });
  return { wallSeconds, peakRssBytes };
}

/** Median of a non-empty list. */
export function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? upper) + upper) / 2;
}
