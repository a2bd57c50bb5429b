/** Starts the service as a child process and kills it like a crash would. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A service process. */
export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILL to the service and everything it started (its batch-runner children): a machine-level crash. */
  kill(): Promise<void>;
}

/** Runs `helpers/serviceProcess.ts` with tsx in its own process group and waits for its URL. */
export async function spawnService(env: Readonly<Record<string, string>>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'serviceProcess.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`service exited with ${code}: ${stderr.join('')}`)));
  });
  return {
    url,
    child,
    async kill() {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await exited;
    },
  };
}
