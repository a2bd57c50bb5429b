/** Errors the HTTP layer answers with: a status, a stable code and a message a caller can act on. */
import type { RejectionReason } from '@downloader/callback-core';

/**
 * Stable `error.code` values of the HTTP API. Callback refusals use callback-core's
 * {@link RejectionReason} values unchanged; the rest are the API's own.
 */
export type HttpErrorCode =
  | RejectionReason
  | 'delivery_not_found'
  | 'delivery_expired'
  | 'delivery_finished'
  | 'callback_conflict'
  | 'project_mismatch'
  | 'file_list_too_large'
  | 'callback_not_relayed'
  | 'invalid_request'
  | 'invalid_query'
  | 'idempotency_conflict'
  | 'not_found'
  | 'host_not_allowed'
  | 'unauthorized'
  | 'internal_error';

/** The JSON body of every error answer. */
export interface ErrorBody {
  readonly error: {
    readonly code: HttpErrorCode;
    readonly message: string;
    /** Per-field problems, when the request had several. */
    readonly issues?: readonly { readonly path: string; readonly message: string }[];
  };
}

/** Thrown inside route handlers; `createApp` turns it into `{ error: { code, message } }` with `status`. */
export class HttpError extends Error {
  readonly status: 400 | 401 | 404 | 409 | 410 | 413 | 415 | 421 | 500 | 503;
  readonly code: HttpErrorCode;
  readonly issues?: readonly { readonly path: string; readonly message: string }[];

  constructor(
    status: HttpError['status'],
    code: HttpErrorCode,
    message: string,
    options?: { cause?: unknown; issues?: HttpError['issues'] },
  ) {
    super(message, options);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    if (options?.issues !== undefined) this.issues = options.issues;
  }

  /** The answer body. */
  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.issues === undefined ? {} : { issues: this.issues }),
      },
    };
  }
}

/** HTTP status for each signature / payload rejection reason of callback-core. */
export function statusForRejection(reason: RejectionReason): HttpError['status'] {
  switch (reason) {
    case 'body_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'invalid_payload':
      return 400;
    default:
      return 401;
  }
}
