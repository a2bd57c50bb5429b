import { readFileSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { SinkError } from '../errors.js';

/** Locks held by this process: a lock file naming our own pid is ours only if listed here. */
const heldHere = new Set<string>();

interface LockOwner {
  readonly pid: number;
  readonly host: string;
}

/**
 * Keeps two downloads from writing the same output at once (their parts would interleave
 * into one `.part` file and journal). A lock file `<output>.part.lock` names the owning
 * process; one left by a process that no longer runs (killed, crashed) is taken over.
 * Another machine's lock (a shared file system) is respected as long as it exists.
 */
export class OutputLock {
  private held = false;

  constructor(
    readonly path: string,
    private readonly output: string,
  ) {}

  async acquire(): Promise<void> {
    if (this.held) return;
    const me: LockOwner = { pid: process.pid, host: hostname() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(this.path, JSON.stringify(me), { flag: 'wx' });
        this.held = true;
        heldHere.add(this.path);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new SinkError(`Cannot create the lock ${this.path}: ${(err as Error).message}`, err);
        }
      }
      const owner = await readOwner(this.path);
      if (owner !== undefined && isRunning(owner, this.path)) {
        // Retryable: the other writer ends sooner or later, and an orchestrator may try again.
        throw new SinkError(
          `Another download (process ${owner.pid} on ${owner.host}) is writing ${this.output}; wait for it to finish or stop it.`,
          undefined,
          true,
        );
      }
      // The owner is gone: its lock is stale. Removed, then created again by the loop.
      await unlink(this.path).catch(() => undefined);
    }
    throw new SinkError(`Cannot take the lock ${this.path}: another process keeps taking it.`);
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    heldHere.delete(this.path);
    await unlink(this.path).catch(() => undefined);
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string')
      return { pid: parsed.pid, host: parsed.host };
  } catch {
    // Unreadable or half-written: treated as stale below.
  }
  return undefined;
}

function isRunning(owner: LockOwner, path: string): boolean {
  if (owner.host !== hostname()) return true;
  // Our own pid: another download in this process, or a lock left by an earlier process
  // that happened to have the same pid.
  if (owner.pid === process.pid) return heldHere.has(path);
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(owner.pid);
}

/**
 * A process that exited but was not reaped yet still answers signal 0. An orphan whose new
 * parent is slow to reap it (a minimal init in a container or VM) would hold the lock for
 * nothing. Linux only; elsewhere the answer is "not a zombie".
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the command name, which is in parentheses and may contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
