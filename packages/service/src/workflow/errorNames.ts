/**
 * Error names that handlers throw and the workflow's Retry/Catch rules match on. Step Functions
 * matches on the error name (`errorType` from Lambda, `error.name` in the embedded engine).
 */
export const WORKFLOW_ERRORS = {
  /** A fault that a later attempt may not see (network, 5xx, 429, timeout, busy store). */
  transient: 'Downloader.Transient',
  /** A fault that retrying will not fix (404, checksum mismatch, blocked URL, bad list). */
  permanent: 'Downloader.Permanent',
} as const;

/** Error thrown by task handlers; `name` is what Retry/Catch match. */
export class WorkflowTaskError extends Error {
  /** Stable code of the underlying failure (fetch-stream, callback-core or service code). */
  readonly code: string;
  /** The message without the code prefix. */
  readonly detail: string;

  constructor(kind: 'transient' | 'permanent', code: string, message: string, options?: { cause?: unknown }) {
    // The code leads the message: Catch hands only `{ Error: name, Cause: message }` onwards.
    super(`${code}: ${message}`, options);
    this.name = WORKFLOW_ERRORS[kind];
    this.code = code;
    this.detail = message;
  }
}
