import type {
  CompletedPart,
  Sink,
  SinkCapabilities,
  SinkFinalizeInfo,
  SinkResumeState,
  SinkTransfer,
} from '@downloader/fetch-stream';
import { BatchRunnerError } from '../errors.js';

/**
 * Wraps a sink so that a source whose size differs from the expected one is refused before a
 * byte is stored (at `begin`) and, for sources of unknown size, before anything is published.
 */
export class SizeCheckingSink implements Sink {
  readonly capabilities: SinkCapabilities;
  private readonly inner: Sink;
  private readonly expected: number;

  constructor(inner: Sink, expectedSize: number) {
    this.inner = inner;
    this.expected = expectedSize;
    this.capabilities = inner.capabilities;
  }

  open(): Promise<SinkResumeState | undefined> {
    return this.inner.open();
  }

  async begin(transfer: SinkTransfer, keep: boolean): Promise<void> {
    if (transfer.total !== undefined && transfer.total !== this.expected) throw this.mismatch(transfer.total);
    await this.inner.begin(transfer, keep);
  }

  write(offset: number, data: Uint8Array): Promise<void> {
    if (offset + data.length > this.expected) return Promise.reject(this.mismatch(offset + data.length));
    return this.inner.write(offset, data);
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    if (!this.inner.read) return Promise.reject(new Error('the wrapped sink cannot read back'));
    return this.inner.read(offset, length);
  }

  commitPart(part: CompletedPart): Promise<void> {
    return this.inner.commitPart(part);
  }

  async finalize(info: SinkFinalizeInfo): Promise<void> {
    if (info.bytes !== this.expected) throw this.mismatch(info.bytes);
    await this.inner.finalize(info);
  }

  discard(): Promise<void> {
    return this.inner.discard();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private mismatch(actual: number): BatchRunnerError {
    return new BatchRunnerError(
      'SIZE_MISMATCH',
      `the source has ${actual}${actual > this.expected ? '+' : ''} bytes, expected ${this.expected} (--size); nothing was published`,
    );
  }
}
