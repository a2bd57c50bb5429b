/** Turns any failure of a download into the workflow's transient/permanent error with a stable code. */
import { WorkflowTaskError } from '../workflow/errorNames.js';

interface CodedError {
  readonly code?: unknown;
  readonly retryable?: unknown;
  readonly message?: unknown;
}

/** Error codes of our own packages that are never worth retrying without `retryable` on them. */
const PERMANENT_CODES = new Set([
  'BLOCKED_URL',
  'UNSAFE_OBJECT_KEY',
  'OBJECT_KEY_INVALID',
  'OBJECT_PATH_UNSAFE',
  'INVALID_PAYLOAD',
]);

/**
 * fetch-stream and large-file runner errors carry `code` and `retryable`; callback-core's
 * refusals carry a `code` and are never retryable. Node's own errors (`ECONNRESET` …) and
 * anything else count as transient: the workflow's Retry budget bounds them.
 */
export function classifyFailure(error: unknown): WorkflowTaskError {
  if (error instanceof WorkflowTaskError) return error;
  const coded = (typeof error === 'object' && error !== null ? error : {}) as CodedError;
  const message = typeof coded.message === 'string' ? coded.message : String(error);
  if (typeof coded.code === 'string' && typeof coded.retryable === 'boolean') {
    return new WorkflowTaskError(coded.retryable ? 'transient' : 'permanent', coded.code, message, {
      cause: error,
    });
  }
  if (typeof coded.code === 'string' && PERMANENT_CODES.has(coded.code)) {
    return new WorkflowTaskError('permanent', coded.code, message, { cause: error });
  }
  const code = typeof coded.code === 'string' ? coded.code : 'INTERNAL';
  return new WorkflowTaskError('transient', code, message, { cause: error });
}
