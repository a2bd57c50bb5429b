import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SinkError } from '../errors.js';
import type { CompletedPart, Sink, SinkCapabilities, SinkResumeState, SinkTransfer } from '../types.js';

/**
 * Writes into an existing output that is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO,
 * a device), in order, without ever creating, truncating or renaming anything: such an output
 * has no `.part` to finish and no name to publish under, and renaming a file over it would
 * destroy it (a root process replacing /dev/null). `download({ output })` picks this sink for
 * such paths.
 *
 * What it cannot do: resume (bytes already streamed cannot be taken back), or withdraw bytes
 * whose checksum then fails (the download still fails with the typed error). The engine hands
 * it whole parts in ascending order (`readBack: false`), at most two buffered at once.
 */
export class SpecialFileSink implements Sink {
  readonly capabilities: SinkCapabilities = { readBack: false, maxBufferedParts: 2 };
  /** Absolute path of the output. */
  readonly output: string;
  #fh: FileHandle | undefined;
  #written = 0;

  constructor(output: string) {
    this.output = resolve(output);
  }

  async open(): Promise<SinkResumeState | undefined> {
    return undefined;
  }

  async begin(_transfer: SinkTransfer, _keep: boolean): Promise<void> {
    if (this.#written > 0) {
      throw new SinkError(
        `The download had to start over, but ${this.#written} bytes were already written into ${this.output}, which cannot be rewound; run it again.`,
      );
    }
    if (this.#fh !== undefined) return;
    try {
      // No O_CREAT, no O_TRUNC: the output exists and stays what it is. A FIFO's open waits
      // for its reader.
      this.#fh = await open(this.output, constants.O_WRONLY);
    } catch (err) {
      throw new SinkError(`Cannot open ${this.output} for writing: ${(err as Error).message}`, err);
    }
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    const fh = this.#handle();
    if (offset !== this.#written) {
      throw new SinkError(
        `Bytes at offset ${offset} arrived while ${this.#written} were written; ${this.output} only takes them in order.`,
      );
    }
    let done = 0;
    while (done < data.length) {
      // Position null: append at the stream's own position (a FIFO or device has no offsets).
      const { bytesWritten } = await fh.write(data, done, data.length - done, null);
      done += bytesWritten;
    }
    this.#written += data.length;
  }

  async commitPart(_part: CompletedPart): Promise<void> {}

  async finalize(): Promise<void> {
    await this.#closeHandle();
  }

  async discard(): Promise<void> {
    await this.#closeHandle();
  }

  async close(): Promise<void> {
    await this.#closeHandle();
  }

  #handle(): FileHandle {
    if (this.#fh === undefined) throw new SinkError('SpecialFileSink used before begin() or after close().');
    return this.#fh;
  }

  async #closeHandle(): Promise<void> {
    const fh = this.#fh;
    this.#fh = undefined;
    await fh?.close();
  }
}
