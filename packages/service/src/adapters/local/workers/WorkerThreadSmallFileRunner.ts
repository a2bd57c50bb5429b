/** Small-file downloads on a pool of worker threads, so the event loop only orchestrates. */
import { Worker } from 'node:worker_threads';
import type { SmallFileJob, SmallFileRunner } from '../../../handlers/SmallFileRunner.js';
import { DOWNLOAD_WORKER_SOURCE } from './downloadWorkerSource.js';

/** A download's failure as the worker reported it: its name, message, `code` and `retryable`. */
export class WorkerDownloadError extends Error {
  readonly code: string | undefined;
  readonly retryable: boolean | undefined;

  constructor(error: { name: string; message: string; code?: string; retryable?: boolean }) {
    super(error.message);
    // The download's own error name (HttpStatusError, ChecksumMismatchError …), so logs read the same.
    this.name = error.name;
    this.code = error.code;
    this.retryable = error.retryable;
  }
}

/** Options of {@link WorkerThreadSmallFileRunner}. */
export interface WorkerThreadSmallFileRunnerOptions {
  /** Worker threads; downloads are spread over them (each runs several at once). */
  readonly threads: number;
  /**
   * A file or `file:` URL from which `@downloader/fetch-stream` and `@downloader/callback-core`
   * resolve (this package's own dependencies).
   */
  readonly resolveFrom: string;
}

interface Pending {
  readonly job: SmallFileJob;
  readonly resolve: (result: { bytes: number; sha256: string }) => void;
  readonly reject: (error: Error) => void;
}

type WorkerMessage =
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; bytes: number; sha256: string }
  | {
      type: 'failed';
      id: number;
      error: { name: string; message: string; code?: string; retryable?: boolean };
    };

/** One worker thread and the jobs it runs. */
class DownloadThread {
  readonly worker: Worker;
  readonly jobs = new Map<number, Pending>();
  /** Set once the thread is gone (crashed or terminated): it takes no new job. */
  gone = false;

  constructor(resolveFrom: string, onGone: (thread: DownloadThread) => void) {
    this.worker = new Worker(DOWNLOAD_WORKER_SOURCE, { eval: true, workerData: { resolveFrom } });
    // Idle threads must not keep the process alive; a thread with jobs is ref'ed in `add`.
    this.worker.unref();
    this.worker.on('message', (message: WorkerMessage) => this.#onMessage(message));
    const fail = (reason: string) => {
      if (this.gone) return;
      this.gone = true;
      onGone(this);
      const error = new WorkerDownloadError({
        name: 'WorkerDownloadError',
        message: `The download thread stopped (${reason}); the file is tried again.`,
        code: 'DOWNLOAD_THREAD_FAILED',
        retryable: true,
      });
      for (const pending of this.jobs.values()) pending.reject(error);
      this.jobs.clear();
    };
    this.worker.on('error', (error) => fail(error.message));
    this.worker.on('exit', (code) => fail(`exit code ${code}`));
  }

  add(id: number, pending: Pending): void {
    // Functions stay here; the rest is plain data (a job that cannot be cloned throws before it is listed).
    const { signal: _signal, onProgress: _onProgress, ...job } = pending.job;
    this.worker.postMessage({ type: 'start', id, job });
    this.jobs.set(id, pending);
    if (this.jobs.size === 1) this.worker.ref();
  }

  abort(id: number): void {
    if (this.jobs.has(id)) this.worker.postMessage({ type: 'abort', id });
  }

  #onMessage(message: WorkerMessage): void {
    const pending = this.jobs.get(message.id);
    if (pending === undefined) return;
    if (message.type === 'progress') {
      pending.job.onProgress(message.bytes);
      return;
    }
    this.jobs.delete(message.id);
    if (this.jobs.size === 0) this.worker.unref();
    if (message.type === 'done') pending.resolve({ bytes: message.bytes, sha256: message.sha256 });
    else pending.reject(new WorkerDownloadError(message.error));
  }
}

/**
 * {@link SmallFileRunner} on worker threads running fetch-stream into a `FileSink`, the same
 * download the task would run in-process. Receiving, hashing and writing 16 files at once is
 * more than one event loop keeps up with; spread over threads it uses every core, and the main
 * loop stays free for the workflow and the HTTP API. Threads start with the runner (module
 * loading is not paid by the first delivery) and are replaced when one dies; a job on a dead
 * thread fails as retryable, and the next attempt resumes from the file's journal.
 */
export class WorkerThreadSmallFileRunner implements SmallFileRunner {
  readonly #options: WorkerThreadSmallFileRunnerOptions;
  readonly #threads: DownloadThread[] = [];
  #nextId = 1;
  #closed = false;

  constructor(options: WorkerThreadSmallFileRunnerOptions) {
    if (!Number.isSafeInteger(options.threads) || options.threads < 1) {
      throw new RangeError(`threads must be a positive integer; got ${String(options.threads)}.`);
    }
    this.#options = options;
    for (let i = 0; i < options.threads; i += 1) this.#threads.push(this.#spawn());
  }

  run(job: SmallFileJob): Promise<{ readonly bytes: number; readonly sha256: string }> {
    if (this.#closed) return Promise.reject(new Error('The small-file runner is closed.'));
    if (job.signal.aborted) return Promise.reject(job.signal.reason);
    const id = this.#nextId;
    this.#nextId += 1;
    const thread = this.#leastBusy();
    return new Promise((resolve, reject) => {
      // The job settles when the thread answers, also after an abort: by then its file is closed.
      const onAbort = () => thread.abort(id);
      job.signal.addEventListener('abort', onAbort, { once: true });
      const settle = () => job.signal.removeEventListener('abort', onAbort);
      thread.add(id, {
        job,
        resolve: (result) => {
          settle();
          resolve(result);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
    });
  }

  /** Stops every thread; call once no job runs any more (in-flight jobs fail as retryable). */
  async close(): Promise<void> {
    this.#closed = true;
    const threads = this.#threads.splice(0);
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }

  #leastBusy(): DownloadThread {
    let best: DownloadThread | undefined;
    for (const thread of this.#threads) {
      if (best === undefined || thread.jobs.size < best.jobs.size) best = thread;
    }
    // The constructor starts at least one thread and a dead one is replaced at once.
    if (best === undefined) throw new Error('The small-file runner has no thread.');
    return best;
  }

  #spawn(): DownloadThread {
    return new DownloadThread(this.#options.resolveFrom, (dead) => {
      const index = this.#threads.indexOf(dead);
      if (index === -1 || this.#closed) return;
      this.#threads[index] = this.#spawn();
    });
  }
}
