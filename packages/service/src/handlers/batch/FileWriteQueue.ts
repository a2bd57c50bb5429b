/**
 * The window's writes to the store, gathered: attempt starts and outcomes of many files go to the
 * store in one `updateFiles` call (one transaction locally) every few milliseconds, instead of two
 * writes per file on the event loop.
 */
import type { FileUpdate } from '../../domain/filePatch.js';
import type { DeliveryStore } from '../../ports/DeliveryStore.js';

/** Options of {@link FileWriteQueue}. */
export interface FileWriteQueueOptions {
  /** Writes gathered before a flush starts at once. @default 256 */
  readonly maxItems?: number;
  /** Longest a write waits for company. @default 20 */
  readonly maxDelayMs?: number;
}

/**
 * Queues file updates of one delivery and writes them in order, in batches. A crash loses at most
 * the last unflushed batch: a start not written means the next run fetches that file again (it is
 * not looked for on storage), an outcome not written means it is looked for and adopted.
 * A failed write is rethrown by the next {@link add} or by {@link drain}.
 */
export class FileWriteQueue {
  readonly #store: DeliveryStore;
  readonly #deliveryId: string;
  readonly #maxItems: number;
  readonly #maxDelayMs: number;
  #queued: FileUpdate[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #failure: { readonly error: unknown } | undefined;

  constructor(store: DeliveryStore, deliveryId: string, options: FileWriteQueueOptions = {}) {
    this.#store = store;
    this.#deliveryId = deliveryId;
    this.#maxItems = options.maxItems ?? 256;
    this.#maxDelayMs = options.maxDelayMs ?? 20;
  }

  /** Queues one update; it reaches the store with the next batch. */
  add(update: FileUpdate): void {
    if (this.#failure !== undefined) throw this.#failure.error;
    this.#queued.push(update);
    if (this.#queued.length >= this.#maxItems) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), this.#maxDelayMs);
  }

  /** Writes everything queued; rejects with the first failed write. */
  async drain(): Promise<void> {
    this.#flush();
    await this.#writing;
    if (this.#failure !== undefined) throw this.#failure.error;
  }

  #flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#queued.length === 0) return;
    const batch = this.#queued;
    this.#queued = [];
    // One batch at a time, in order: a file's outcome never overtakes its start.
    this.#writing = this.#writing.then(async () => {
      if (this.#failure !== undefined) return;
      try {
        await this.#store.updateFiles(this.#deliveryId, batch);
      } catch (error) {
        this.#failure = { error };
      }
    });
  }
}
