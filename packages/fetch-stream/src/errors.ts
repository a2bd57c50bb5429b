/**
 * Typed errors of `@downloader/fetch-stream`. Every error the engine raises is a
 * {@link FetchStreamError} with a stable `code` and a `retryable` flag, so callers
 * branch on data, not on message text.
 */

import type { S3SinkErrorCode } from './s3/errors.js';

/** Stable machine-readable error codes (the S3 sink's `S3_*` codes included). */
export type FetchStreamErrorCode =
  | S3SinkErrorCode
  | 'HTTP_STATUS'
  | 'CHECKSUM_MISMATCH'
  | 'PROTOCOL'
  | 'INCOMPLETE_BODY'
  | 'ENCODED_RESPONSE'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'BLOCKED_ADDRESS'
  | 'TOO_MANY_REDIRECTS'
  | 'REDIRECT_LOOP'
  | 'INSECURE_REDIRECT'
  | 'RESOURCE_CHANGED'
  | 'ABORTED'
  | 'DEADLINE_EXCEEDED'
  | 'INVALID_OPTIONS'
  | 'SINK'
  | 'SIZE_MISMATCH'
  | 'SIZE_LIMIT_EXCEEDED'
  /** A bad command line (the CLI only). */
  | 'USAGE'
  /** A broken invariant inside fetch-stream: a bug to report, never the server's fault. */
  | 'INTERNAL';

interface ErrorInit {
  readonly code: FetchStreamErrorCode;
  readonly retryable: boolean;
  readonly cause?: unknown;
}

/** Base class of every error thrown by fetch-stream. */
export class FetchStreamError extends Error {
  /** Stable code; see {@link FetchStreamErrorCode}. */
  readonly code: FetchStreamErrorCode;
  /** True when the engine (or a caller) may try again and reasonably expect success. */
  readonly retryable: boolean;
  /**
   * Set by `download` on the error it throws: how many times the failing request was tried
   * before giving up (1 when it was not retried; undefined for errors not about a request).
   */
  attempts: number | undefined;
  /**
   * Set by `download` on the error it throws: true when the server honoured ranges and parts
   * were kept, so running the same download again resumes; false when a rerun starts over.
   */
  resumable: boolean | undefined;

  constructor(message: string, init: ErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'FetchStreamError';
    this.code = init.code;
    this.retryable = init.retryable;
    this.attempts = undefined;
    this.resumable = undefined;
  }
}

/** The server answered with a status that is not a success (after retries, when retryable). */
export class HttpStatusError extends FetchStreamError {
  readonly status: number;
  /** Delay the server asked for via `Retry-After`, in ms, when it sent one. */
  readonly retryAfterMs: number | undefined;
  readonly url: string;

  constructor(status: number, url: string, retryAfterMs?: number) {
    const retryable = status === 408 || status === 429 || status >= 500;
    super(
      retryable
        ? `HTTP ${status} from ${redact(url)}: the server is failing or throttling; retry later.`
        : `HTTP ${status} from ${redact(url)}: the request is refused; check the URL and credentials.`,
      { code: 'HTTP_STATUS', retryable },
    );
    this.name = 'HttpStatusError';
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    this.url = url;
  }
}

/** The final bytes do not have the checksum the caller or the server declared. Nothing was written to the output. */
export class ChecksumMismatchError extends FetchStreamError {
  readonly algorithm: string;
  readonly expected: string;
  readonly actual: string;
  readonly source: 'caller' | 'server';

  constructor(algorithm: string, expected: string, actual: string, source: 'caller' | 'server') {
    super(
      `${algorithm} mismatch (expected ${expected} from the ${source}, got ${actual}): the downloaded bytes are not the expected file; the partial data was removed. Check the expected checksum or the source.`,
      { code: 'CHECKSUM_MISMATCH', retryable: false },
    );
    this.name = 'ChecksumMismatchError';
    this.algorithm = algorithm;
    this.expected = expected;
    this.actual = actual;
    this.source = source;
  }
}

/** The server broke the HTTP range protocol (bad `Content-Range`, length mismatch, …). */
export class ProtocolError extends FetchStreamError {
  constructor(message: string, retryable = true, cause?: unknown) {
    super(message, { code: 'PROTOCOL', retryable, cause });
    this.name = 'ProtocolError';
  }
}

/**
 * A 206 whose `Content-Range` does not contain the byte asked for (it starts later, or ends
 * before it): nothing of it can be appended. The engine asks again in another form.
 */
export class MisplacedRangeError extends ProtocolError {
  constructor(
    /** The first byte asked for. */
    readonly asked: number,
    /** The first byte the server sent. */
    readonly servedStart: number,
    /** The last byte the server sent (inclusive). */
    readonly servedEnd: number,
  ) {
    super(`206 covers bytes ${servedStart}-${servedEnd} but byte ${asked} was requested; not appended.`);
    this.name = 'MisplacedRangeError';
  }
}

/** A response body ended before all declared bytes arrived (premature close, truncated chunked body). */
export class IncompleteBodyError extends FetchStreamError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'INCOMPLETE_BODY', retryable: true, cause });
    this.name = 'IncompleteBodyError';
  }
}

/** The server sent an encoded (e.g. gzip) body although `Accept-Encoding: identity` was requested. */
export class EncodedResponseError extends FetchStreamError {
  readonly encoding: string;
  constructor(encoding: string) {
    super(
      `The server answered with Content-Encoding: ${encoding} although identity was requested; fetch-stream never decompresses, because the bytes would not be the file. Fix the server or fetch a URL that serves the raw file.`,
      { code: 'ENCODED_RESPONSE', retryable: false },
    );
    this.name = 'EncodedResponseError';
    this.encoding = encoding;
  }
}

/** Which timeout fired. */
export type TimeoutPhase = 'connect' | 'responseHeaders' | 'idle' | 'lowSpeed';

/** A per-request timeout fired; the engine retries it like a network error. */
export class TimeoutError extends FetchStreamError {
  readonly phase: TimeoutPhase;
  constructor(phase: TimeoutPhase, ms: number) {
    super(
      phase === 'lowSpeed'
        ? `The body arrived slower than timeouts.lowSpeedBytesPerSecond over ${ms} ms; the server is dripping bytes. Lower the limit if this is expected.`
        : `The ${phase} timeout (${ms} ms) fired; the server is slow or unreachable. Raise timeouts.${phase} if this is expected.`,
      {
        code: 'TIMEOUT',
        retryable: true,
      },
    );
    this.name = 'TimeoutError';
    this.phase = phase;
  }
}

/** A socket-level failure (reset, refused, DNS failure, …). */
export class NetworkError extends FetchStreamError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'NETWORK', retryable: true, cause });
    this.name = 'NetworkError';
  }
}

/**
 * A reused keep-alive connection was closed by the server before any byte of the answer: the
 * request is sent again once on a fresh connection (a GET is safe to resend).
 */
export class StaleConnectionError extends NetworkError {
  constructor(cause: unknown) {
    super('The reused connection was closed by the server before it answered.', cause);
    this.name = 'StaleConnectionError';
  }
}

/** A broken invariant inside fetch-stream (a bug): not retried. */
export class InternalError extends FetchStreamError {
  constructor(message: string) {
    super(`internal: ${message} (a bug in fetch-stream; please report it)`, {
      code: 'INTERNAL',
      retryable: false,
    });
    this.name = 'InternalError';
  }
}

/**
 * The server's TLS certificate was refused (untrusted, expired, or for another name). Not
 * retried: the next attempt would meet the same certificate.
 */
export class TlsCertificateError extends FetchStreamError {
  constructor(host: string, reason: string, cause?: unknown) {
    super(`The TLS certificate of ${host} was refused (${reason}); not retried.`, {
      code: 'NETWORK',
      retryable: false,
      cause,
    });
    this.name = 'TlsCertificateError';
  }
}

/** The caller's connect guard refused an address. */
export class BlockedAddressError extends FetchStreamError {
  readonly address: string;
  readonly hostname: string;
  constructor(hostname: string, address: string, cause: unknown) {
    super(
      `The connect guard refused ${hostname} (${address}): the download is not allowed to reach this address.`,
      { code: 'BLOCKED_ADDRESS', retryable: false, cause },
    );
    this.name = 'BlockedAddressError';
    this.address = address;
    this.hostname = hostname;
  }
}

/** More redirects than `maxRedirects`. */
export class TooManyRedirectsError extends FetchStreamError {
  constructor(max: number) {
    super(
      `More than ${max} redirects; the URL redirects too often. Use the final URL or raise maxRedirects.`,
      {
        code: 'TOO_MANY_REDIRECTS',
        retryable: false,
      },
    );
    this.name = 'TooManyRedirectsError';
  }
}

/** A redirect chain came back to a URL it had already visited. */
export class RedirectLoopError extends FetchStreamError {
  constructor(url: string) {
    super(`Redirect loop at ${redact(url)}; the server redirects in a circle. Fix the server or the URL.`, {
      code: 'REDIRECT_LOOP',
      retryable: false,
    });
    this.name = 'RedirectLoopError';
  }
}

/** An https URL redirected to plain http; refused because it would downgrade transport security. */
export class InsecureRedirectError extends FetchStreamError {
  constructor(url: string) {
    super(`Refused a redirect from https to ${redact(url)}: it would downgrade to plain http.`, {
      code: 'INSECURE_REDIRECT',
      retryable: false,
    });
    this.name = 'InsecureRedirectError';
  }
}

/** The resource kept changing while it was being downloaded, more often than `maxRestarts`. */
export class ResourceChangedError extends FetchStreamError {
  constructor(restarts: number) {
    super(
      `The resource changed ${restarts} times during the download (new ETag, Last-Modified or size); giving up to avoid a mixed file. Retry when the source is stable.`,
      { code: 'RESOURCE_CHANGED', retryable: true },
    );
    this.name = 'ResourceChangedError';
  }
}

/** The caller's `AbortSignal` fired. Completed parts are kept; rerun to resume. */
export class AbortedError extends FetchStreamError {
  constructor(cause?: unknown) {
    super('The download was aborted.', {
      code: 'ABORTED',
      retryable: false,
      cause,
    });
    this.name = 'AbortedError';
  }
}

/** The overall deadline (`timeouts.overall`) passed. Completed parts are kept; rerun to resume. */
export class DeadlineExceededError extends FetchStreamError {
  constructor(ms: number) {
    super(`The overall deadline of ${ms} ms passed.`, {
      code: 'DEADLINE_EXCEEDED',
      retryable: true,
    });
    this.name = 'DeadlineExceededError';
  }
}

/** Options passed to `download` are invalid. */
export class InvalidOptionsError extends FetchStreamError {
  constructor(message: string) {
    super(message, { code: 'INVALID_OPTIONS', retryable: false });
    this.name = 'InvalidOptionsError';
  }
}

/** The sink (file system, object store) failed. */
export class SinkError extends FetchStreamError {
  constructor(message: string, cause?: unknown, retryable = false) {
    super(message, { code: 'SINK', retryable, cause });
    this.name = 'SinkError';
  }
}

/**
 * The server declared (or, without a declared length, delivered) another size than the
 * caller's `expectedSize`. Raised before anything is written when the size is declared; no
 * output is created.
 */
export class SizeMismatchError extends FetchStreamError {
  /** Size the caller expected, in bytes. */
  readonly expected: number;
  /** Size the server declared or delivered, in bytes. */
  readonly actual: number;

  constructor(expected: number, actual: number, url: string) {
    super(
      `${redact(url)} has ${actual} bytes but ${expected} were expected; nothing was kept. Check the URL or the expected size.`,
      { code: 'SIZE_MISMATCH', retryable: false },
    );
    this.name = 'SizeMismatchError';
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * The file is larger than the caller's `maxBytes` cap: declared so by the server (refused before
 * anything is allocated or written) or delivered so (stopped at the first byte over the cap).
 * Nothing is kept.
 */
export class SizeLimitError extends FetchStreamError {
  /** The cap, in bytes. */
  readonly limit: number;
  /** Bytes declared by the server, or delivered so far when the cap was crossed. */
  readonly actual: number;

  constructor(limit: number, actual: number, url: string) {
    super(
      `${redact(url)} is larger than the limit of ${limit} bytes (at least ${actual}); nothing was kept. Raise maxBytes if the file is expected to be this large.`,
      { code: 'SIZE_LIMIT_EXCEEDED', retryable: false },
    );
    this.name = 'SizeLimitError';
    this.limit = limit;
    this.actual = actual;
  }
}

/** Drops the query string (signatures, tokens) from URLs placed in messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.search ? `${u.origin}${u.pathname}?…` : `${u.origin}${u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}
