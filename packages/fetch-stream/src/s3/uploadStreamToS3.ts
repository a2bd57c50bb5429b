import { createHash } from 'node:crypto';
import { S3SinkError } from './errors.js';
import { PartLayout } from './partLayout.js';
import { putSmallObject } from './putSmallObject.js';
import {
  type PartReservation,
  S3MultipartWriter,
  type S3MultipartWriterOptions,
  type S3UploadResult,
} from './S3MultipartWriter.js';

/** Progress of {@link uploadStreamToS3}. */
export interface S3UploadProgress {
  /** Source bytes read so far (including bytes of parts that were already in S3). */
  readonly bytesRead: number;
  /** Bytes of parts handed to S3 by this process. */
  readonly bytesUploaded: number;
  /** Bytes of parts found in S3 from a previous run. */
  readonly bytesResumed: number;
  readonly total?: number;
}

/** Options of {@link uploadStreamToS3}. */
export interface UploadStreamToS3Options extends S3MultipartWriterOptions {
  /** The object's bytes, in order, from the first byte (also when resuming: see below). */
  readonly source: AsyncIterable<Uint8Array>;
  /** Stops the upload, keeps the journal for a later run and rejects with `S3_ABORTED`. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: S3UploadProgress) => void;
  /** Called once the writer is open (multipart only), e.g. to expose `peakBufferedBytes`. */
  readonly onWriter?: (writer: S3MultipartWriter) => void;
  /** Time allowed for in-flight parts when the signal fires. Default 2000 ms. */
  readonly suspendGraceMs?: number;
}

/**
 * Uploads an in-order byte stream to S3: one PutObject when it fits in one part, else a
 * multipart upload through {@link S3MultipartWriter}, which resumes an earlier run's upload.
 *
 * Resuming re-reads the source from byte 0: node's sha256 state cannot be saved across
 * processes, so the parts already in S3 are read again to hash them (and their CRC-32 is
 * compared with the journal, which also proves the source did not change) but are not uploaded
 * again.
 */
export async function uploadStreamToS3(options: UploadStreamToS3Options): Promise<S3UploadResult> {
  const layout = new PartLayout(options.size, options.minPartSize);
  const hash = createHash('sha256');
  let bytesRead = 0;
  let bytesUploaded = 0;
  let bytesResumed = 0;
  const report = (): void =>
    options.onProgress?.({
      bytesRead,
      bytesUploaded,
      bytesResumed,
      ...(options.size === undefined ? {} : { total: options.size }),
    });

  const iterator = options.source[Symbol.asyncIterator]();
  let pending: Uint8Array | undefined;
  let ended = false;

  /** Fills `buffer` from the source; returns the number of bytes written (short only at the end). */
  const fill = async (buffer: Buffer): Promise<number> => {
    let filled = 0;
    while (filled < buffer.length) {
      if (options.signal?.aborted) throw abortedError(options.signal);
      let chunk = pending;
      pending = undefined;
      if (!chunk) {
        if (ended) break;
        const next = await iterator.next();
        if (next.done) {
          ended = true;
          break;
        }
        chunk = next.value;
      }
      const take = Math.min(chunk.length, buffer.length - filled);
      buffer.set(take === chunk.length ? chunk : chunk.subarray(0, take), filled);
      if (take < chunk.length) pending = chunk.subarray(take);
      filled += take;
    }
    bytesRead += filled;
    return filled;
  };

  // The first part decides between one PutObject and a multipart upload.
  const firstSize = layout.partSize(1);
  const first = Buffer.allocUnsafe(firstSize);
  const firstLength = await fill(first);
  const firstIsAll =
    options.size !== undefined ? options.size <= firstSize : firstLength < firstSize || (await atEnd());
  if (firstIsAll) {
    if (options.size !== undefined && (firstLength !== options.size || !(await atEnd()))) {
      throw new S3SinkError(
        'S3_VERIFICATION_FAILED',
        `the source sent ${firstLength}${ended ? '' : '+'} bytes, expected ${options.size}; nothing was written`,
      );
    }
    const result = await putSmallObject(options, first.subarray(0, firstLength));
    bytesUploaded = firstLength;
    report();
    return result;
  }

  const writer = await S3MultipartWriter.open(options);
  options.onWriter?.(writer);
  try {
    let partNumber = 1;
    let part: Buffer = first.subarray(0, firstLength);
    let reservation: PartReservation | undefined;
    for (;;) {
      if (options.size !== undefined && part.length < layout.partSize(partNumber)) {
        if (reservation) writer.release(reservation);
        await writer.abort();
        throw new S3SinkError(
          'S3_VERIFICATION_FAILED',
          `the source ended at byte ${bytesRead}, expected ${options.size}; the upload was aborted`,
        );
      }
      hash.update(part);
      const uploaded = await writer.writePart(partNumber, part, reservation);
      reservation = undefined;
      if (uploaded) bytesUploaded += part.length;
      else bytesResumed += part.length;
      report();
      if (ended && pending === undefined) break;
      if (options.size !== undefined && bytesRead >= options.size) break;
      partNumber++;
      const size = layout.partSize(partNumber);
      // Reserve before allocating so the part being filled counts against the budget too.
      reservation = await writer.reserve(size);
      const buffer = Buffer.allocUnsafe(size);
      const length = await fill(buffer);
      if (length === 0) {
        writer.release(reservation);
        break;
      }
      part = buffer.subarray(0, length);
    }
    if (options.size !== undefined && (bytesRead !== options.size || !(await atEnd()))) {
      await writer.abort();
      throw new S3SinkError(
        'S3_VERIFICATION_FAILED',
        `the source sent ${bytesRead}${ended ? '' : '+'} bytes, expected ${options.size}; the upload was aborted`,
      );
    }
    return await writer.complete(hash.digest('hex'));
  } catch (error) {
    if (options.signal?.aborted) {
      await writer.suspend(options.suspendGraceMs);
      throw abortedError(options.signal);
    }
    if (error instanceof S3SinkError && error.code === 'S3_SOURCE_CHANGED') await writer.abort();
    else if (!(error instanceof S3SinkError && error.code === 'S3_VERIFICATION_FAILED')) {
      // Source or network failure: keep what S3 has for the next attempt.
      await writer.suspend(options.suspendGraceMs).catch(() => undefined);
    }
    throw error;
  }

  async function atEnd(): Promise<boolean> {
    if (pending !== undefined && pending.length > 0) return false;
    if (ended) return true;
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      return true;
    }
    pending = next.value;
    return next.value.length === 0 ? atEnd() : false;
  }
}

function abortedError(signal: AbortSignal): S3SinkError {
  return new S3SinkError('S3_ABORTED', 'the upload was stopped; its journal was kept for a later resume', {
    cause: signal.reason,
  });
}
