/**
 * Public types of `@downloader/fetch-stream`.
 *
 * This file is the contract between the download engine, its sinks, its CLI and
 * the packages built on top of it (batch-runner's S3 sink, the service). Change it
 * deliberately: other packages compile against it.
 */

/** Validators that identify one version of a remote resource. */
export interface ResourceValidators {
  /** The `ETag` header exactly as sent, including any `W/` prefix and quotes. */
  readonly etag?: string;
  /** The `Last-Modified` header exactly as sent. */
  readonly lastModified?: string;
  /** Total size in bytes, when the server declared one. */
  readonly size?: number;
}

/** Checksums the caller expects the final bytes to have. Hex strings (lower or upper case). */
export interface ExpectedChecksums {
  readonly sha256?: string;
  readonly md5?: string;
  /** CRC32C (Castagnoli) as 8 hex digits, big-endian, as `gsutil`/S3 print it in hex. */
  readonly crc32c?: string;
}

/** Timeouts in milliseconds. Every one is optional; `0` disables that timeout. */
export interface TimeoutOptions {
  /** TCP (and TLS) connect. Default 15 000. */
  readonly connect?: number;
  /** From request sent to response headers received. Default 30 000. */
  readonly responseHeaders?: number;
  /** Longest silence while reading a body; a stall resumes from the current offset. Default 30 000. */
  readonly idle?: number;
  /** Wall-clock deadline for the whole download including retries. Default 0 (none). */
  readonly overall?: number;
}

/** Retry policy: jittered exponential backoff with caps. */
export interface RetryOptions {
  /** Attempts after the first failure of one request before giving up. Default 5. */
  readonly retries?: number;
  /** First backoff in ms. Default 250. */
  readonly baseDelayMs?: number;
  /** Cap of one backoff in ms (also caps `Retry-After`). Default 30 000. */
  readonly maxDelayMs?: number;
  /**
   * Called before retrying after a 403 or 410 (typically an expired pre-signed URL).
   * Return a fresh URL to use from now on, or `undefined` to treat the status as terminal.
   */
  readonly refreshUrl?: (context: RefreshUrlContext) => Promise<string | undefined> | string | undefined;
}

/** What `refreshUrl` is told. */
export interface RefreshUrlContext {
  readonly url: string;
  readonly status: number;
  readonly attempt: number;
}

/**
 * Connect-time guard: called with every address the engine is about to connect to,
 * on the first request and on every redirect hop. Throw (or return a rejected promise)
 * to refuse the connection; the download then fails with a `BlockedAddressError`.
 * fetch-stream has no policy of its own; callback-core supplies an SSRF policy.
 */
export type ConnectGuard = (target: ConnectTarget) => void | Promise<void>;

/** One connection attempt as seen by the guard. */
export interface ConnectTarget {
  /** The URL being requested on this hop. */
  readonly url: URL;
  /** Host name from the URL (brackets removed for IPv6 literals). */
  readonly hostname: string;
  /** The resolved IP address about to be connected to. */
  readonly address: string;
  /** 4 or 6. */
  readonly family: 4 | 6;
  readonly port: number;
  /** 0 for the original URL, 1.. for redirect hops. */
  readonly redirectHop: number;
}

/** A progress snapshot. Emitted at most every `progressIntervalMs`, and once at the end. */
export interface ProgressEvent {
  /** Bytes of the final file that are on the sink (including bytes resumed from a previous run). */
  readonly bytes: number;
  /** Total size when known. */
  readonly total?: number;
  /** Bytes per second over the last few seconds. */
  readonly rate: number;
  /** Seconds left at the current rate, when the total is known and rate > 0. */
  readonly etaSeconds?: number;
  /** Connections currently transferring. */
  readonly activeConnections: number;
}

/** How the download ended, for callers that log or report. */
export interface DownloadResult {
  /** Final URL after redirects (of the last request made). */
  readonly url: string;
  /** Size of the final file in bytes. */
  readonly bytes: number;
  /** Lower-case hex sha256 of the final bytes, computed in order. */
  readonly sha256: string;
  /** Other checksums that were verified (expected by the caller or declared by the server). */
  readonly verified: ReadonlyArray<VerifiedChecksum>;
  /** Validators of the version that was downloaded. */
  readonly validators: ResourceValidators;
  /** HTTP requests made (every attempt counts, including redirects). */
  readonly requests: number;
  /** Retries after transient failures. */
  readonly retries: number;
  /** Bytes found complete in a previous run's journal and not fetched again. */
  readonly resumedBytes: number;
  /** Bytes received more than once (discarded partial parts, restarts). */
  readonly refetchedBytes: number;
  /** True when the resource changed during the download and it restarted from 0. */
  readonly restartedBecauseChanged: boolean;
  /** Whether ranged (multi-connection capable) transfer was used. */
  readonly ranged: boolean;
  /** Highest number of simultaneous connections used. */
  readonly connectionsUsed: number;
  readonly durationMs: number;
}

/** One verified checksum and where the expectation came from. */
export interface VerifiedChecksum {
  readonly algorithm: 'sha256' | 'md5' | 'crc32c' | 'crc32' | 'crc64nvme' | 'sha1' | 'sha512';
  readonly source: 'caller' | 'server';
  readonly value: string;
}
