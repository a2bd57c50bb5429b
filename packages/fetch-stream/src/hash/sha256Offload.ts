import { Worker } from 'node:worker_threads';

/** Bytes copied into one message to the worker (fewer, larger messages cost less). */
const BATCH_BYTES = 1024 * 1024;
/** Bytes posted but not yet hashed before writers are asked to wait (bounded memory). */
const MAX_OUTSTANDING = 4 * 1024 * 1024;

// Plain CommonJS run by `eval`: no file to ship next to the bundles.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const hash = require('node:crypto').createHash('sha256');
parentPort.on('message', (m) => {
  if (m.type === 'data') {
    hash.update(new Uint8Array(m.buf, 0, m.len));
    parentPort.postMessage({ type: 'ack', len: m.len, buf: m.buf }, [m.buf]);
  } else {
    parentPort.postMessage({ type: 'digest', hex: hash.digest('hex') });
  }
});
`;

/**
 * sha256 computed on a worker thread, so hashing (the largest CPU cost of a download) runs in
 * parallel with receiving and writing. Input order is preserved (one worker, ordered
 * messages); memory is bounded by `waitForCapacity`.
 */
export class Sha256Offload {
  private readonly worker: Worker;
  private stagingMemory = new ArrayBuffer(BATCH_BYTES);
  private staging = Buffer.from(this.stagingMemory);
  private fill = 0;
  private outstanding = 0;
  private capacityWaiters: Array<() => void> = [];
  private digestWaiter: ((hex: string) => void) | undefined;
  private failure: unknown;
  private readonly free: ArrayBuffer[] = [];

  constructor() {
    // The worker holds a hash state and a few messages: a small heap keeps its RSS small.
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 },
    });
    this.worker.unref();
    this.worker.on(
      'message',
      (m: { type: 'ack'; len: number; buf: ArrayBuffer } | { type: 'digest'; hex: string }) => {
        if (m.type === 'ack') {
          // The batch memory comes back and is reused: a fixed pool instead of garbage that the
          // worker's collector would free late (and that would count against RSS meanwhile).
          this.free.push(m.buf);
          this.outstanding -= m.len;
          if (this.outstanding <= MAX_OUTSTANDING) this.wake();
        } else {
          this.digestWaiter?.(m.hex);
        }
      },
    );
    this.worker.on('error', (err) => {
      this.failure = err;
      this.wake();
    });
  }

  update(data: Uint8Array): void {
    let pos = 0;
    while (pos < data.length) {
      const n = Math.min(data.length - pos, BATCH_BYTES - this.fill);
      this.staging.set(data.subarray(pos, pos + n), this.fill);
      this.fill += n;
      pos += n;
      if (this.fill === BATCH_BYTES) this.post();
    }
  }

  /** Resolves when the worker has caught up enough to accept more. */
  async waitForCapacity(): Promise<void> {
    while (this.outstanding > MAX_OUTSTANDING && this.failure === undefined) {
      await new Promise<void>((resolve) => this.capacityWaiters.push(resolve));
    }
    if (this.failure !== undefined) throw this.failure;
  }

  async digest(): Promise<string> {
    if (this.fill > 0) this.post();
    const hex = new Promise<string>((resolve) => {
      this.digestWaiter = resolve;
    });
    this.worker.postMessage({ type: 'finish' });
    try {
      return await hex;
    } finally {
      await this.dispose();
    }
  }

  async dispose(): Promise<void> {
    await this.worker.terminate();
  }

  private post(): void {
    const buf = this.stagingMemory;
    this.outstanding += this.fill;
    // The staging memory moves to the worker (no copy); fresh memory takes its place.
    this.worker.postMessage({ type: 'data', buf, len: this.fill }, [buf]);
    this.stagingMemory = this.free.pop() ?? new ArrayBuffer(BATCH_BYTES);
    this.staging = Buffer.from(this.stagingMemory);
    this.fill = 0;
  }

  private wake(): void {
    const waiters = this.capacityWaiters;
    this.capacityWaiters = [];
    for (const w of waiters) w();
  }
}
