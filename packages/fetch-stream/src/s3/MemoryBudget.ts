import { S3SinkError } from './errors.js';

/**
 * A byte semaphore: `acquire(n)` waits until `n` more bytes fit under the limit. Waiters are
 * served first come, first served so a large part is not starved by small ones.
 * `peak` is the highest amount ever held, which tests assert against the limit.
 */
export class MemoryBudget {
  readonly limit: number;
  private held = 0;
  private highWater = 0;
  private readonly waiters: Array<{ bytes: number; resolve: () => void }> = [];

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Bytes held now. */
  get used(): number {
    return this.held;
  }

  /** Highest number of bytes held at once. */
  get peak(): number {
    return this.highWater;
  }

  /** Waits until `bytes` fit, then holds them. Throws when `bytes` can never fit. */
  async acquire(bytes: number): Promise<void> {
    if (bytes > this.limit) {
      throw new S3SinkError(
        'S3_BUDGET_TOO_SMALL',
        `a part of ${bytes} bytes does not fit the memory budget of ${this.limit} bytes; raise memoryBudget`,
      );
    }
    if (this.waiters.length === 0 && this.held + bytes <= this.limit) {
      this.take(bytes);
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push({ bytes, resolve }));
  }

  /** Gives back bytes taken by `acquire`. */
  release(bytes: number): void {
    this.held -= bytes;
    for (let next = this.waiters[0]; next && this.held + next.bytes <= this.limit; next = this.waiters[0]) {
      this.waiters.shift();
      this.take(next.bytes);
      next.resolve();
    }
  }

  private take(bytes: number): void {
    this.held += bytes;
    if (this.held > this.highWater) this.highWater = this.held;
  }
}
