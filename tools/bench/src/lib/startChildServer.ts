import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** The line a child server prints on stdout once it listens: `READY <json>`. */
export const READY_PREFIX = 'READY ';

/** A benchmarked server running in its own Node process. */
export interface ChildServer<Info> {
  /** What the child printed after `READY ` (at least its base URL). */
  readonly info: Info;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
  close(): Promise<void>;
}

/**
 * Starts `script` (a .ts file of this folder) in a separate Node process with the same loader
 * flags as this one (tsx), and waits for its `READY <json>` line. A separate process gives the
 * server its own event loop and core, so the load generator in this process never steals its time.
 * `BENCH_CHILD_NODE_ARGS` (space-separated, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) adds Node
 * flags to the child alone: Node refuses profiling flags in NODE_OPTIONS.
 */
export async function startChildServer<Info extends { readonly url: string }>(
  script: string,
  env: Readonly<Record<string, string>> = {},
  startTimeoutMs = 60_000,
  options: {
    /**
     * Start the child with this process's loader flags (tsx), as a .ts script needs. A plain
     * .mjs script runs without them, as a user runs the built package: tsx's loader adds to the
     * child's memory (about 30 MiB idle, and more over a long run). @default true
     */
    readonly inheritLoader?: boolean;
  } = {},
): Promise<ChildServer<Info>> {
  const childArgs = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  const loader = options.inheritLoader === false ? [] : process.execArgv;
  const child = spawn(process.execPath, [...loader, ...childArgs, script], {
    // stdin stays open for the child's life: its end tells the child this process is gone.
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not print READY within ${startTimeoutMs} ms\n${stderr}`));
    }, startTimeoutMs);
    const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> });
    lines.on('line', (line) => {
      if (!line.startsWith(READY_PREFIX)) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice(READY_PREFIX.length)) as Info);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code ?? signal} before it was ready\n${stderr}`));
    });
  });
  return { info, pid: child.pid ?? -1, close: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
