/** Stable codes of {@link BatchRunnerError}. */
export type BatchRunnerErrorCode = 'USAGE' | 'SIZE_MISMATCH' | 'STOPPED';

/** The one error class of batch-runner; `code` is stable. */
export class BatchRunnerError extends Error {
  override readonly name = 'BatchRunnerError';
  readonly code: BatchRunnerErrorCode;

  constructor(code: BatchRunnerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
