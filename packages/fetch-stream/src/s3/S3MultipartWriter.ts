import { crc32 } from 'node:zlib';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { ResourceValidators } from '../types.js';
import { crc32Combine, crc32ToBase64 } from './crc32Combine.js';
import { S3SinkError } from './errors.js';
import { MemoryBudget } from './MemoryBudget.js';
import { PartLayout, S3_MAX_PART_SIZE } from './partLayout.js';
import {
  type CompletedPart,
  deleteJournal,
  readJournal,
  type S3UploadJournal,
  writeJournal,
} from './S3UploadJournal.js';
import { abortUploadQuietly, deleteObjectQuietly, listUploadedParts, s3ErrorName } from './s3Requests.js';

/** Where the object goes. */
export interface S3Target {
  /** A configured client. Against emulators use `forcePathStyle: true` and checksums `WHEN_REQUIRED`. */
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly contentType?: string;
  /** User metadata (`x-amz-meta-*`). `sha256` is set by the writer. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Options of {@link S3MultipartWriter.open}. */
export interface S3MultipartWriterOptions extends S3Target {
  /** Total size when known; fixes the part layout. */
  readonly size?: number;
  /** Smallest part size. Default 8 MiB (S3 minimum 5 MiB). */
  readonly minPartSize?: number;
  /** Parts uploading at once. Default 4. */
  readonly concurrency?: number;
  /**
   * Most bytes of part data the writer holds at once (reserved, queued or uploading).
   * Default `partSize × (concurrency + 1)`. Never exceeded; a part larger than it is an error.
   */
  readonly memoryBudget?: number;
  /** Source validators; a journal written for other validators is discarded (upload aborted). */
  readonly validators?: ResourceValidators;
  /** When known up front: recorded as `x-amz-meta-sha256` at create and checked before completing. */
  readonly expectedSha256?: string;
  /** Source URL, recorded in the journal for operators. */
  readonly sourceUrl?: string;
  /**
   * When the sha256 was not known at create time, set `x-amz-meta-sha256` after completion by
   * copying the object onto itself (server-side; objects up to 5 GiB). That copy costs the
   * server a full read and write of the object; `false` records the sha256 in the result only.
   * Default true.
   */
  readonly sha256MetadataCopy?: boolean;
  /** Keep a resume journal beside the key. Default true. */
  readonly journal?: boolean;
}

/** The outcome of a completed upload. */
export interface S3UploadResult {
  readonly bucket: string;
  readonly key: string;
  readonly bytes: number;
  /** Lower-case hex sha256 of the object, as given to `complete`. */
  readonly sha256: string;
  /** Full-object CRC-32 (base64, big-endian) that S3 checked at completion. */
  readonly crc32: string;
  readonly etag: string | undefined;
  /** 0 for a single PutObject. */
  readonly parts: number;
  /** Parts uploaded by this process. */
  readonly uploadedParts: number;
  /** Bytes of parts a previous run had uploaded, not uploaded again. */
  readonly resumedBytes: number;
  /** Where the sha256 was recorded: object metadata, or only this result (objects over 5 GiB without an expected sha256). */
  readonly sha256Recorded: 'metadata' | 'result-only';
  /** True when a journal for another version of the source was found and that upload discarded. */
  readonly restartedBecauseChanged: boolean;
  /** Highest number of part bytes held at once. */
  readonly peakBufferedBytes: number;
}

/** A reservation of budget for one part the caller is about to assemble. */
export interface PartReservation {
  readonly bytes: number;
}

const DEFAULT_CONCURRENCY = 4;

function sameValidators(a: ResourceValidators, b: ResourceValidators): boolean {
  return a.etag === b.etag && a.lastModified === b.lastModified && a.size === b.size;
}

/**
 * Uploads one object as an S3 multipart upload: parts in any order with bounded concurrency,
 * inside a memory budget, each part with its CRC-32, the full-object CRC-32 checked by S3 at
 * completion, the sha256 recorded as metadata, and a journal beside the key for resuming.
 *
 * The caller hands over each part's bytes once (`writePart`); the writer keeps the reference
 * until S3 acknowledged the part, so the caller must not reuse the buffer.
 */
export class S3MultipartWriter {
  readonly layout: PartLayout;
  /** True when the upload continues one a previous process started. */
  readonly resumed: boolean;
  /** True when a journal for another version of the source was discarded. */
  readonly restartedBecauseChanged: boolean;

  private readonly options: S3MultipartWriterOptions;
  private readonly budget: MemoryBudget;
  private readonly slots: MemoryBudget;
  private readonly uploadId: string;
  private readonly parts = new Map<number, CompletedPart>();
  private readonly resumedParts: ReadonlySet<number>;
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly requestAbort = new AbortController();
  private failure: unknown;
  private state: 'open' | 'finishing' | 'done' = 'open';
  private uploadedParts = 0;
  private journalDirty = false;
  private journalRun: Promise<void> | undefined;
  private journalError: unknown;

  private constructor(
    options: S3MultipartWriterOptions,
    layout: PartLayout,
    uploadId: string,
    resumedParts: ReadonlyArray<CompletedPart>,
    restartedBecauseChanged: boolean,
  ) {
    this.options = options;
    this.layout = layout;
    this.uploadId = uploadId;
    const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    this.budget = new MemoryBudget(options.memoryBudget ?? layout.basePartSize * (concurrency + 1));
    this.slots = new MemoryBudget(concurrency);
    for (const part of resumedParts) this.parts.set(part.partNumber, part);
    this.resumedParts = new Set(resumedParts.map((p) => p.partNumber));
    this.resumed = resumedParts.length > 0;
    this.restartedBecauseChanged = restartedBecauseChanged;
  }

  /**
   * Starts a new multipart upload, or continues the one recorded in the journal beside the key
   * when it was made for the same size, part size and source validators.
   */
  static async open(options: S3MultipartWriterOptions): Promise<S3MultipartWriter> {
    const { client, bucket, key } = options;
    const layout = new PartLayout(options.size, options.minPartSize);
    const validators = options.validators ?? {};
    let journal = options.journal === false ? undefined : await readJournal(client, bucket, key);
    let restartedBecauseChanged = false;
    if (journal) {
      const sameSource = sameValidators(journal.validators, validators);
      const sameLayout = journal.size === options.size && journal.basePartSize === layout.basePartSize;
      if (!sameSource || !sameLayout || journal.expectedSha256 !== options.expectedSha256) {
        restartedBecauseChanged = !sameSource;
        await abortUploadQuietly(client, bucket, key, journal.uploadId);
        await deleteJournal(client, bucket, key);
        journal = undefined;
      }
    }
    if (journal) {
      const listing = await listUploadedParts(client, bucket, key, journal.uploadId, journal.parts);
      if (listing.kind === 'upload-gone') {
        await deleteJournal(client, bucket, key);
      } else {
        const parts =
          listing.kind === 'listed'
            ? journal.parts.filter((p) => listing.etags.get(p.partNumber) === p.etag)
            : journal.parts;
        return new S3MultipartWriter(options, layout, journal.uploadId, parts, false);
      }
    }
    const created = await send(() =>
      client.send(
        new CreateMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          ContentType: options.contentType,
          Metadata: metadataWith(options.metadata, options.expectedSha256),
          ChecksumAlgorithm: 'CRC32',
          ChecksumType: 'FULL_OBJECT',
        }),
      ),
    );
    if (!created.UploadId)
      throw new S3SinkError('S3_REQUEST_FAILED', 'CreateMultipartUpload returned no UploadId');
    const writer = new S3MultipartWriter(options, layout, created.UploadId, [], restartedBecauseChanged);
    if (options.journal !== false) await writer.persist();
    return writer;
  }

  /** Part numbers S3 already holds from a previous run. */
  get completedPartNumbers(): ReadonlySet<number> {
    return this.resumedParts;
  }

  /** Highest number of part bytes held at once so far. */
  get peakBufferedBytes(): number {
    return this.budget.peak;
  }

  /** Part bytes held now. */
  get bufferedBytes(): number {
    return this.budget.used;
  }

  /** The budget in bytes. */
  get memoryBudget(): number {
    return this.budget.limit;
  }

  /**
   * Waits until `bytes` fit in the memory budget and holds them for a part the caller is about
   * to fill. Pass the reservation to `writePart`, or give it back with `release`.
   */
  async reserve(bytes: number): Promise<PartReservation> {
    this.throwIfFailed();
    await this.budget.acquire(bytes);
    return { bytes };
  }

  /** Gives back an unused reservation. */
  release(reservation: PartReservation): void {
    this.budget.release(reservation.bytes);
  }

  /**
   * Hands over the bytes of part `partNumber`. Resolves once the upload has started (budget and
   * a slot obtained), not when it finished. A part a previous run uploaded is not uploaded again:
   * its CRC-32 is compared with the journal's and a difference means the source changed.
   * @returns whether the part was uploaded (`false`: already held by S3).
   */
  async writePart(partNumber: number, data: Uint8Array, reservation?: PartReservation): Promise<boolean> {
    try {
      this.throwIfFailed();
      if (this.state !== 'open') throw new S3SinkError('S3_INVALID_USE', 'writePart after complete or abort');
      this.checkPartLength(partNumber, data.length);
      const partCrc = crc32(data);
      const known = this.parts.get(partNumber);
      if (known) {
        if (known.crc32 !== partCrc || known.size !== data.length) {
          throw new S3SinkError(
            'S3_SOURCE_CHANGED',
            `part ${partNumber} differs from the part uploaded before (CRC-32 or size): the source changed`,
          );
        }
        return false;
      }
      if (this.inFlight.has(partNumber)) {
        throw new S3SinkError('S3_INVALID_USE', `part ${partNumber} is already being uploaded`);
      }
      let held = reservation?.bytes ?? 0;
      if (held < data.length) {
        await this.budget.acquire(data.length - held);
        held = data.length;
      } else if (held > data.length) {
        this.budget.release(held - data.length);
        held = data.length;
      }
      const bytesHeld = held;
      reservation = undefined;
      await this.slots.acquire(1);
      const upload = this.uploadPart(partNumber, data, partCrc).finally(() => {
        this.inFlight.delete(partNumber);
        this.slots.release(1);
        this.budget.release(bytesHeld);
      });
      this.inFlight.set(partNumber, upload);
      upload.catch(() => undefined);
      return true;
    } finally {
      if (reservation) this.budget.release(reservation.bytes);
    }
  }

  /**
   * Waits for every part, checks the parts form the whole object and match `sha256` against
   * the expected one, then completes with the full-object CRC-32 and records the sha256.
   * On a verification failure the upload is aborted and nothing appears at the key.
   */
  async complete(sha256: string): Promise<S3UploadResult> {
    const { client, bucket, key } = this.options;
    this.state = 'finishing';
    await Promise.allSettled([...this.inFlight.values()]);
    this.throwIfFailed();
    const ordered = [...this.parts.values()].sort((a, b) => a.partNumber - b.partNumber);
    const problem = this.layoutProblem(ordered);
    const expected = this.options.expectedSha256?.toLowerCase();
    if (problem || (expected !== undefined && expected !== sha256.toLowerCase())) {
      await this.abort();
      throw new S3SinkError(
        'S3_VERIFICATION_FAILED',
        problem ?? `sha256 ${sha256} does not match the expected ${expected}; the upload was aborted`,
      );
    }
    let crc = 0;
    let bytes = 0;
    for (const part of ordered) {
      crc = crc32Combine(crc, part.crc32, part.size);
      bytes += part.size;
    }
    const crcBase64 = crc32ToBase64(crc);
    const completed = await send(() =>
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: this.uploadId,
          ChecksumCRC32: crcBase64,
          ChecksumType: 'FULL_OBJECT',
          MultipartUpload: { Parts: ordered.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
        }),
      ),
    );
    const head = await send(() => client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
    if (head.ContentLength !== bytes) {
      await deleteObjectQuietly(client, bucket, key);
      await deleteJournal(client, bucket, key).catch(() => undefined);
      this.state = 'done';
      throw new S3SinkError(
        'S3_VERIFICATION_FAILED',
        `the completed object has ${head.ContentLength} bytes, expected ${bytes}; it was deleted`,
      );
    }
    let etag = completed.ETag;
    let sha256Recorded: S3UploadResult['sha256Recorded'] = 'result-only';
    if (expected !== undefined) {
      sha256Recorded = 'metadata';
    } else if (this.options.sha256MetadataCopy !== false && bytes <= S3_MAX_PART_SIZE) {
      // Metadata is fixed at CreateMultipartUpload, before the sha256 is known: an in-place copy
      // sets it (server-side, single request up to 5 GiB).
      const copied = await send(() =>
        client.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: key,
            CopySource: `${bucket}/${encodeURIComponent(key).replaceAll('%2F', '/')}`,
            MetadataDirective: 'REPLACE',
            Metadata: metadataWith(this.options.metadata, sha256.toLowerCase()),
            ContentType: this.options.contentType,
            ChecksumAlgorithm: 'CRC32',
          }),
        ),
      );
      etag = copied.CopyObjectResult?.ETag ?? etag;
      sha256Recorded = 'metadata';
    }
    this.state = 'done';
    await this.waitForJournal();
    if (this.options.journal !== false) await deleteJournal(client, bucket, key).catch(() => undefined);
    let resumedBytes = 0;
    for (const n of this.resumedParts) resumedBytes += this.parts.get(n)?.size ?? 0;
    return {
      bucket,
      key,
      bytes,
      sha256: sha256.toLowerCase(),
      crc32: crcBase64,
      etag,
      parts: ordered.length,
      uploadedParts: this.uploadedParts,
      resumedBytes,
      sha256Recorded,
      restartedBecauseChanged: this.restartedBecauseChanged,
      peakBufferedBytes: this.budget.peak,
    };
  }

  /**
   * Terminal failure: stops in-flight parts, aborts the multipart upload (where the server
   * implements it) and deletes the journal. Returns whether the server confirmed the abort.
   */
  async abort(): Promise<boolean> {
    const { client, bucket, key } = this.options;
    this.state = 'done';
    this.requestAbort.abort();
    await Promise.allSettled([...this.inFlight.values()]);
    await this.waitForJournal();
    const aborted = await abortUploadQuietly(client, bucket, key, this.uploadId);
    if (this.options.journal !== false) await deleteJournal(client, bucket, key).catch(() => undefined);
    return aborted;
  }

  /**
   * Stop for now (SIGTERM, Spot reclaim): lets in-flight parts finish for up to `graceMs`,
   * cancels the rest, and writes the journal so a later run resumes.
   */
  async suspend(graceMs = 2000): Promise<void> {
    this.state = 'done';
    const settled = Promise.allSettled([...this.inFlight.values()]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([settled, timeout]);
    clearTimeout(timer);
    this.requestAbort.abort();
    await settled;
    if (this.options.journal !== false) {
      await this.waitForJournal();
      await this.persist();
    }
  }

  private async uploadPart(partNumber: number, data: Uint8Array, partCrc: number): Promise<void> {
    const { client, bucket, key } = this.options;
    try {
      const response = await client.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: this.uploadId,
          PartNumber: partNumber,
          Body: data,
          ContentLength: data.length,
          ChecksumCRC32: crc32ToBase64(partCrc),
        }),
        { abortSignal: this.requestAbort.signal },
      );
      if (!response.ETag) throw new Error('UploadPart returned no ETag');
      this.parts.set(partNumber, { partNumber, etag: response.ETag, size: data.length, crc32: partCrc });
      this.uploadedParts++;
      this.scheduleJournal();
    } catch (error) {
      if (this.failure === undefined && !this.requestAbort.signal.aborted) {
        const gone = s3ErrorName(error) === 'NoSuchUpload';
        // A vanished upload (lifecycle rule, someone aborted it) cannot be resumed: forget the journal.
        if (gone && this.options.journal !== false)
          await deleteJournal(client, bucket, key).catch(() => undefined);
        this.failure = new S3SinkError(
          'S3_REQUEST_FAILED',
          `UploadPart ${partNumber} failed: ${errorText(error)}`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  private checkPartLength(partNumber: number, length: number): void {
    const nominal = this.layout.partSize(partNumber);
    // With a known size every part has its exact nominal length (the last one is shorter by layout).
    const ok =
      this.layout.partCount === undefined
        ? length > 0 && length <= nominal
        : partNumber <= this.layout.partCount && length === nominal;
    if (!ok) {
      throw new S3SinkError(
        'S3_INVALID_USE',
        `part ${partNumber} has ${length} bytes; the layout expects ${nominal}${this.layout.partCount === undefined ? ' or fewer' : ''}`,
      );
    }
  }

  /** Describes why the parts do not form one whole object, or undefined when they do. */
  private layoutProblem(ordered: ReadonlyArray<CompletedPart>): string | undefined {
    if (ordered.length === 0) return 'no parts were written';
    for (const [i, part] of ordered.entries()) {
      if (part.partNumber !== i + 1) return `part ${i + 1} is missing`;
      const isLast = i === ordered.length - 1;
      if (!isLast && part.size !== this.layout.partSize(part.partNumber)) {
        return `part ${part.partNumber} is short (${part.size} bytes) but is not the last part`;
      }
    }
    const count = this.layout.partCount;
    if (count !== undefined && ordered.length !== count)
      return `${ordered.length} of ${count} parts were written`;
    return undefined;
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private journalSnapshot(): S3UploadJournal {
    const { bucket, key, size, expectedSha256, validators, sourceUrl } = this.options;
    return {
      version: 1,
      bucket,
      key,
      uploadId: this.uploadId,
      ...(size === undefined ? {} : { size }),
      basePartSize: this.layout.basePartSize,
      ...(sourceUrl === undefined ? {} : { url: sourceUrl }),
      validators: validators ?? {},
      ...(expectedSha256 === undefined ? {} : { expectedSha256 }),
      parts: [...this.parts.values()].sort((a, b) => a.partNumber - b.partNumber),
      updatedAt: new Date().toISOString(),
    };
  }

  private async persist(): Promise<void> {
    await writeJournal(this.options.client, this.journalSnapshot());
  }

  /** Coalesces journal writes: at most one in flight, and one more if parts finished meanwhile. */
  private scheduleJournal(): void {
    if (this.options.journal === false || this.state === 'done') return;
    this.journalDirty = true;
    if (this.journalRun) return;
    this.journalRun = (async () => {
      while (this.journalDirty && this.state !== 'done') {
        this.journalDirty = false;
        try {
          await this.persist();
        } catch (error) {
          // A missed journal write costs re-uploading parts after a crash, not correctness.
          this.journalError = error;
        }
      }
    })().finally(() => {
      this.journalRun = undefined;
    });
  }

  private async waitForJournal(): Promise<void> {
    while (this.journalRun) await this.journalRun;
  }

  /** The last journal write error, if any (for logs). */
  get lastJournalError(): unknown {
    return this.journalError;
  }
}

function metadataWith(
  metadata: Readonly<Record<string, string>> | undefined,
  sha256: string | undefined,
): Record<string, string> | undefined {
  if (sha256 === undefined) return metadata ? { ...metadata } : undefined;
  return { ...metadata, sha256: sha256.toLowerCase() };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Runs one S3 request, wrapping SDK failures in a typed error. */
async function send<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw new S3SinkError('S3_REQUEST_FAILED', `S3 request failed: ${errorText(error)}`, { cause: error });
  }
}
