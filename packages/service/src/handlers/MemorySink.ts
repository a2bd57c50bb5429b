/** A fetch-stream sink that keeps a small document (a manifest, a list-API answer) in memory, with a cap. */

import { JsonDepthScanner } from '@downloader/callback-core';
import type {
  CompletedPart,
  Sink,
  SinkCapabilities,
  SinkFinalizeInfo,
  SinkResumeState,
  SinkTransfer,
} from '@downloader/fetch-stream';
import { ServiceError } from '../domain/errors.js';

/**
 * Collects the bytes of one JSON document; refuses more than `maxBytes`, and nesting deeper than
 * callback-core's `MAX_JSON_DEPTH` as the bytes arrive (in order: `readBack: false`). Its refusal
 * stays readable as {@link MemorySink.refusal}, whatever error the download reports it inside.
 */
export class MemorySink implements Sink {
  readonly capabilities: SinkCapabilities = { readBack: false, maxBufferedParts: 1 };
  /** Why the sink refused the document, once it did. */
  refusal: ServiceError | undefined;
  #depth = new JsonDepthScanner();
  readonly #maxBytes: number;
  #buffer = Buffer.alloc(0);
  #length = 0;
  #done = false;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** The document, once the download finished and verified. */
  get bytes(): Uint8Array {
    if (!this.#done)
      throw new ServiceError('FILE_LIST_INVALID', 'The document was not completely downloaded.');
    return this.#buffer.subarray(0, this.#length);
  }

  async open(): Promise<SinkResumeState | undefined> {
    return undefined;
  }

  async begin(transfer: SinkTransfer): Promise<void> {
    if (transfer.total !== undefined) this.#ensure(transfer.total);
    this.#length = 0;
    this.#depth = new JsonDepthScanner();
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    const end = offset + data.length;
    this.#ensure(end);
    if (!this.#depth.feed(data)) {
      this.refusal = new ServiceError(
        'FILE_LIST_INVALID',
        `The file list document nests arrays or objects deeper than ${this.#depth.maxDepth} levels; refused while downloading.`,
      );
      throw this.refusal;
    }
    this.#buffer.set(data, offset);
    this.#length = Math.max(this.#length, end);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    return this.#buffer.subarray(offset, Math.min(offset + length, this.#length));
  }

  async commitPart(_part: CompletedPart): Promise<void> {}

  async finalize(info: SinkFinalizeInfo): Promise<void> {
    this.#length = info.bytes;
    this.#done = true;
  }

  async discard(): Promise<void> {
    this.#buffer = Buffer.alloc(0);
    this.#length = 0;
  }

  async close(): Promise<void> {}

  #ensure(size: number): void {
    if (size > this.#maxBytes) {
      this.refusal = new ServiceError(
        'FILE_LIST_TOO_LARGE',
        `The file list document is larger than the profile's cap of ${this.#maxBytes} bytes (limits.maxManifestBytes).`,
      );
      throw this.refusal;
    }
    if (size <= this.#buffer.length) return;
    const grown = Buffer.alloc(Math.min(this.#maxBytes, Math.max(size, this.#buffer.length * 2, 64 * 1024)));
    this.#buffer.copy(grown, 0, 0, this.#length);
    this.#buffer = grown;
  }
}
