import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const cliPath = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** One JSON log line of the runner. */
export type LogLine = Readonly<Record<string, unknown>> & { readonly event: string };

/** A runner process started by a test. */
export interface RunnerProcess {
  readonly child: ChildProcess;
  /** JSON lines printed so far. */
  readonly lines: LogLine[];
  /** Resolves with the exit code (or the signal name when killed). */
  readonly exited: Promise<number | NodeJS.Signals>;
  stderr(): string;
  /** Resolves when a line matching `predicate` was printed (rejects if the process exits first). */
  waitFor(predicate: (line: LogLine) => boolean): Promise<LogLine>;
}

/** Environment a test runner needs to reach the loopback S3 server. */
export const S3_TEST_ENV = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
  // The SDK warns about Node 20 on stderr; the tests read stderr for real messages.
  AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1',
  NODE_NO_WARNINGS: '1',
} as const;

/** Starts `batch-runner` as its own process (through tsx, so no build is needed). */
export function startRunner(
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>> = {},
): RunnerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', cliPath, ...args], {
    cwd: packageDir,
    env: { PATH: process.env.PATH ?? '', ...S3_TEST_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const watchers: Array<{ predicate: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  let stdoutRest = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    stdoutRest += text;
    const parts = stdoutRest.split('\n');
    stdoutRest = parts.pop() ?? '';
    for (const raw of parts) {
      if (!raw.startsWith('{')) continue;
      const line = JSON.parse(raw) as LogLine;
      lines.push(line);
      for (const w of [...watchers]) {
        if (w.predicate(line)) {
          watchers.splice(watchers.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return {
    child,
    lines,
    exited,
    stderr: () => stderr,
    waitFor: (predicate) => {
      const seen = lines.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        watchers.push({ predicate, resolve });
        void exited.then((code) => reject(new Error(`runner exited (${code}) first; stderr: ${stderr}`)));
      });
    },
  };
}

/** Runs the runner to its end. */
export async function runRunner(
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>> = {},
): Promise<{ code: number | NodeJS.Signals; lines: LogLine[]; stderr: string; stdout: string }> {
  const runner = startRunner(args, env);
  let stdout = '';
  runner.child.stdout?.on('data', (t: string) => {
    stdout += t;
  });
  const code = await runner.exited;
  return { code, lines: runner.lines, stderr: runner.stderr(), stdout };
}
