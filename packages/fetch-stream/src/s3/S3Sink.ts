import type {
  CompletedPart,
  Sink,
  SinkCapabilities,
  SinkFinalizeInfo,
  SinkResumeState,
  SinkTransfer,
} from '../types.js';
import { S3SinkError } from './errors.js';
import { DEFAULT_MIN_PART_SIZE, PartLayout } from './partLayout.js';
import { putSmallObject } from './putSmallObject.js';
import { S3MultipartWriter, type S3Target, type S3UploadResult } from './S3MultipartWriter.js';
import { deleteJournal, readJournal } from './S3UploadJournal.js';
import { abortUploadQuietly } from './s3Requests.js';

/** Options of {@link S3Sink}. */
export interface S3SinkOptions extends S3Target {
  /** Smallest part size. Default 8 MiB. */
  readonly minPartSize?: number;
  /** Parts the engine fetches and holds at once before handing them over. Default 4. */
  readonly maxBufferedParts?: number;
  /** Parts uploading at once. Default 4. */
  readonly concurrency?: number;
  /** Bytes of part data the uploader holds at once. Default `partSize × (concurrency + 1)`. */
  readonly memoryBudget?: number;
  /** Recorded at create and checked before completing, when known up front. */
  readonly expectedSha256?: string;
  /** Called once a multipart writer exists (to watch `peakBufferedBytes`). */
  readonly onWriter?: (writer: S3MultipartWriter) => void;
  /** Time in-flight parts get to finish when the download is aborted. Default 2000 ms. */
  readonly suspendGraceMs?: number;
}

/**
 * A fetch-stream {@link Sink} that writes into S3: one PutObject when the object fits in one
 * part, else a multipart upload with a resume journal beside the key. It cannot read back,
 * so the engine hands it whole parts in order; `commitPart` returns once the part's upload
 * has started (bounded by the memory budget), and the journal records it once S3 acknowledged
 * it — after a crash only the parts that were in flight are uploaded again.
 *
 * @example
 * ```ts
 * const sink = new S3Sink({ client, bucket: 'b', key: 'big.iso' });
 * const result = await download(url, { sink, connections: 4 });
 * console.log(sink.result?.etag, result.sha256);
 * ```
 */
export class S3Sink implements Sink {
  readonly capabilities: SinkCapabilities;
  /** Set once `finalize` completed the object. */
  result: S3UploadResult | undefined;

  private readonly options: S3SinkOptions;
  private transfer: SinkTransfer | undefined;
  private layout: PartLayout | undefined;
  private writer: S3MultipartWriter | undefined;
  /** Bytes of the part being assembled from unaligned writes (and of a small object). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private nextOffset = 0;
  private nextPart = 1;

  constructor(options: S3SinkOptions) {
    this.options = options;
    const minPartSize = options.minPartSize ?? DEFAULT_MIN_PART_SIZE;
    this.capabilities = {
      readBack: false,
      // An explicit minPartSize wins over the engine's default part size.
      partSizeFor: (total, requested) =>
        new PartLayout(total, options.minPartSize ?? Math.max(minPartSize, requested)).basePartSize,
      maxBufferedParts: options.maxBufferedParts ?? 4,
      // commitPart returns once the part's upload has started, so uploads overlap; after a crash
      // open() reports only the parts the journal (or ListParts) shows as stored.
      commitDurability: 'deferred',
    };
  }

  /** The upload a previous run left beside the key, as the engine's resume state. */
  async open(): Promise<SinkResumeState | undefined> {
    const journal = await readJournal(this.options.client, this.options.bucket, this.options.key);
    if (journal?.size === undefined) return undefined;
    // Every part stored but not completed (a crash just before CompleteMultipartUpload) is
    // reported as it is: the engine's probe at the very end draws a 416 that means done, it
    // hashes the parts and finalize completes the upload without uploading any again.
    const completedParts: CompletedPart[] = journal.parts.map((p) => ({
      index: p.partNumber - 1,
      offset: (p.partNumber - 1) * journal.basePartSize,
      length: p.size,
      crc32: p.crc32,
    }));
    return {
      url: journal.url ?? '',
      validators: journal.validators,
      total: journal.size,
      partSize: journal.basePartSize,
      completedParts,
    };
  }

  async begin(transfer: SinkTransfer, keep: boolean): Promise<void> {
    const { client, bucket, key } = this.options;
    if (this.writer) {
      await this.writer.abort();
      this.writer = undefined;
    }
    this.reset();
    this.transfer = transfer;
    this.layout = new PartLayout(transfer.total, transfer.partSize);
    if (!keep) {
      const old = await readJournal(client, bucket, key);
      if (old) {
        await abortUploadQuietly(client, bucket, key, old.uploadId);
        await deleteJournal(client, bucket, key);
      }
    }
    if (transfer.total !== undefined && transfer.total > this.layout.basePartSize) await this.openWriter();
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    const layout = this.requireLayout();
    if (offset !== this.nextOffset && this.pendingBytes === 0) this.skipResumedParts(offset);
    if (offset !== this.nextOffset) {
      throw new S3SinkError(
        'S3_INVALID_USE',
        `S3Sink needs bytes in order: got offset ${offset}, expected ${this.nextOffset}`,
      );
    }
    this.nextOffset += data.length;
    const partLength = layout.partSize(this.nextPart);
    // The engine's usual case: exactly one whole part, handed over without a copy.
    if (this.pendingBytes === 0 && data.length === partLength && this.writer) {
      await this.writer.writePart(this.nextPart++, data);
      return;
    }
    let rest = data;
    while (rest.length > 0) {
      const room = layout.partSize(this.nextPart) - this.pendingBytes;
      const take = Math.min(room, rest.length);
      this.pending.push(Buffer.from(rest.subarray(0, take)));
      this.pendingBytes += take;
      rest = rest.subarray(take);
      // A known size of one part stays pending for the single PutObject in finalize.
      const fits = layout.size !== undefined && layout.size <= layout.basePartSize;
      if (!fits && this.pendingBytes === layout.partSize(this.nextPart)) await this.flushPart();
    }
  }

  /** Nothing to do: the journal records parts as S3 acknowledges them. Surfaces upload failures early. */
  async commitPart(_part: CompletedPart): Promise<void> {}

  async finalize(info: SinkFinalizeInfo): Promise<void> {
    if (!this.writer) {
      this.result = await putSmallObject(
        { ...this.options, ...(this.options.expectedSha256 ? {} : { expectedSha256: info.sha256 }) },
        Buffer.concat(this.pending, this.pendingBytes),
      );
      this.reset();
      return;
    }
    if (this.pendingBytes > 0) await this.flushPart();
    this.result = await this.writer.complete(info.sha256);
    this.writer = undefined;
  }

  async discard(): Promise<void> {
    this.reset();
    if (this.writer) {
      await this.writer.abort();
      this.writer = undefined;
      return;
    }
    const { client, bucket, key } = this.options;
    const journal = await readJournal(client, bucket, key);
    if (journal) {
      await abortUploadQuietly(client, bucket, key, journal.uploadId);
      await deleteJournal(client, bucket, key);
    }
  }

  async close(): Promise<void> {
    this.reset();
    await this.writer?.suspend(this.options.suspendGraceMs);
    this.writer = undefined;
  }

  private async openWriter(): Promise<void> {
    const transfer = this.transfer;
    if (!transfer) throw new S3SinkError('S3_INVALID_USE', 'S3Sink.begin was not called');
    this.writer = await S3MultipartWriter.open({
      ...this.options,
      size: transfer.total,
      minPartSize: transfer.partSize,
      validators: transfer.validators,
      sourceUrl: transfer.url,
    });
    this.options.onWriter?.(this.writer);
  }

  private async flushPart(): Promise<void> {
    if (!this.writer) {
      // Unknown size and more than one part: only now is multipart needed.
      await this.openWriter();
    }
    const part = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.writer?.writePart(this.nextPart++, part);
  }

  /**
   * The engine does not write parts a previous run stored (it only hashes them): move past
   * them when the next write starts after a run of parts S3 already holds.
   */
  private skipResumedParts(offset: number): void {
    const layout = this.requireLayout();
    const held = this.writer?.completedPartNumbers;
    if (!held) return;
    let n = this.nextPart;
    while (held.has(n) && layout.partOffset(n) < offset) n++;
    if (layout.partOffset(n) === offset) {
      this.nextPart = n;
      this.nextOffset = offset;
    }
  }

  private requireLayout(): PartLayout {
    if (!this.layout) throw new S3SinkError('S3_INVALID_USE', 'S3Sink.begin was not called');
    return this.layout;
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.nextOffset = 0;
    this.nextPart = 1;
  }
}
