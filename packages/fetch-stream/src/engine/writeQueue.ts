/**
 * Per-connection, in-order write pipeline: the connection keeps reading the socket while
 * earlier chunks are written, but never has more than `maxBytes` waiting (backpressure), so
 * network and disk overlap and memory stays bounded. Jobs run one after another; the first
 * failure is reported by the next `push` or by `drain`.
 */
export class WriteQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private failure: { error: unknown } | undefined;

  constructor(private readonly maxBytes: number) {}

  async push(bytes: number, job: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    this.pending += bytes;
    this.tail = this.tail.then(async () => {
      try {
        if (this.failure === undefined) await job();
      } catch (error) {
        this.failure ??= { error };
      } finally {
        this.pending -= bytes;
      }
    });
    while (this.pending > this.maxBytes && !this.failed()) await this.tail;
    this.throwIfFailed();
  }

  /** Waits for every queued job; throws the first failure. */
  async drain(): Promise<void> {
    await this.tail;
    this.throwIfFailed();
  }

  private failed(): boolean {
    return this.failure !== undefined;
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }
}
