import { FetchStreamError } from '../errors.js';

/** Stable codes of {@link S3SinkError}. */
export type S3SinkErrorCode =
  /** An S3 request failed after the SDK's own retries; the upload may be resumed later. */
  | 'S3_REQUEST_FAILED'
  /** The bytes do not match the expected sha256 (or size); the upload was aborted. */
  | 'S3_VERIFICATION_FAILED'
  /** The source's bytes differ from the journal's parts: the source changed under the same validators. */
  | 'S3_SOURCE_CHANGED'
  /** A part does not fit the memory budget, or the budget is smaller than one part. */
  | 'S3_BUDGET_TOO_SMALL'
  /** Misuse of the writer: bad part number, write after complete, size beyond S3 limits. */
  | 'S3_INVALID_USE'
  /** The upload was stopped by its AbortSignal; state was kept for a later resume. */
  | 'S3_ABORTED';

/**
 * The one error class of the S3 sink, under the package's root `FetchStreamError`. `code` is
 * stable; `cause` carries the underlying error; `retryable` is true for a failed S3 request and an
 * aborted upload (both keep their state for a resume).
 */
export class S3SinkError extends FetchStreamError {
  declare readonly code: S3SinkErrorCode;

  constructor(code: S3SinkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, {
      code,
      retryable: code === 'S3_REQUEST_FAILED' || code === 'S3_ABORTED',
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = 'S3SinkError';
  }
}
