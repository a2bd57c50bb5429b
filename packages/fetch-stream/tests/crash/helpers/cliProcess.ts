import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** A running `fetch-stream` CLI with its output collected. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

const alive = new Set<ChildProcess>();

/** Starts `node <cli> ...args`. */
export function startCli(cli: string, args: readonly string[]): CliProcess {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  alive.add(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    out += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    err += text;
  });
  const exited = once(child, 'exit').then(([code]) => {
    alive.delete(child);
    return code as number | null;
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** True while the process has not exited. */
export function isRunning(cli: CliProcess): boolean {
  return cli.child.exitCode === null && cli.child.signalCode === null;
}

/** SIGKILLs every CLI this module started that is still running (for afterAll). */
export async function killAll(): Promise<void> {
  const waits = [...alive].map((child) => {
    const gone = once(child, 'exit');
    child.kill('SIGKILL');
    return gone;
  });
  await Promise.all(waits);
}
