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
  /**
   * Least average speed of one response body, in bytes per second, measured over
   * `lowSpeedWindow`. A body that drips slower (a server holding the connection open with a
   * byte now and then, which the idle timeout never catches) is cut and retried like a stall,
   * resuming from the current offset where ranges allow. Default 0 (off).
   */
  readonly lowSpeedBytesPerSecond?: number;
  /** Window of `lowSpeedBytesPerSecond`, in ms. Default 30 000. */
  readonly lowSpeedWindow?: number;
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

/**
 * A progress snapshot, passed to `onProgress` at most every `progressIntervalMs` and once at
 * the end. (Named so as not to collide with the DOM's global `ProgressEvent`.)
 */
export interface DownloadProgress {
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

/** @deprecated Use {@link DownloadProgress}; this name collides with the DOM's `ProgressEvent`. */
export type ProgressEvent = DownloadProgress;

/** What `onStart` reports when the transfer begins. */
export interface DownloadStart {
  /** Size of the resource, when the server declared it. */
  readonly total: number | undefined;
  /** The server honours ranges: the transfer is resumable and may use several connections. */
  readonly ranged: boolean;
  /** Bytes a previous run stored that are kept (not fetched again); 0 for a fresh start. */
  readonly resumedBytes: number;
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

/**
 * What the files of a `FileSink` (or `download`'s `output`) must survive.
 *
 * - `'power-loss'`: the data is fdatasync'ed before `<output>.part` is renamed to `output`, and
 *   the directory after it, so a file that exists under its final name survives a power cut or a
 *   kernel crash with every verified byte. The journal is made durable in the background too.
 * - `'process-exit'`: nothing is fsynced. A killed process (SIGKILL, OOM, crash) loses nothing,
 *   because the kernel's page cache outlives it: the next run resumes exactly and every file is
 *   still verified before its rename. After a power cut the last writes may be missing, as with
 *   `curl -o`, `wget` or `aria2c`. Saves the time to write the file out to the disk
 *   (about half a second per GiB on a fast virtual disk).
 */
export type FileDurability = 'power-loss' | 'process-exit';

/** Options of {@link download}. Exactly one of `output` and `sink` is required. */
export interface DownloadOptions {
  /**
   * Path of the file to create. Shorthand for `sink: new FileSink(output, { durability })`; an
   * existing device or FIFO there (`/dev/null`, `/dev/stdout`) is written into in order instead,
   * never replaced (`SpecialFileSink`).
   */
  readonly output?: string;
  /**
   * With `output`: what the file must survive, `'power-loss'` (fsync before the final rename) or
   * `'process-exit'` (no fsync; a killed process still resumes exactly). See `FileDurability`.
   * @default 'power-loss'
   */
  readonly durability?: FileDurability;
  /** Where the bytes go. Use `output` for a plain file. */
  readonly sink?: Sink;
  /**
   * Simultaneous connections for one file when the server supports ranges.
   * Capped by `maxConnectionsPerHost`; files smaller than two parts use one. Default 4.
   */
  readonly connections?: number;
  /** Cap of sockets to one host (the keep-alive agent's `maxSockets`). Default 8. */
  readonly maxConnectionsPerHost?: number;
  /** Part size in bytes: the unit of resume and of per-part checksums. Default 8 MiB; a sink may impose its own. */
  readonly partSize?: number;
  /** Checksums the final bytes must have. */
  readonly checksum?: ExpectedChecksums;
  /** Verify digests the server declares (Repr-Digest, Digest, x-amz-checksum-*, x-goog-hash). Default true. */
  readonly verifyServerDigests?: boolean;
  readonly retry?: RetryOptions;
  readonly timeouts?: TimeoutOptions;
  /** Aborts promptly; completed parts stay on the sink for a later resume. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: DownloadProgress) => void;
  /**
   * Called once the first response was judged (again after a restart from byte 0): the size,
   * whether ranges are used, and how many bytes a previous run left that are kept.
   */
  readonly onStart?: (info: DownloadStart) => void;
  /** Minimum ms between progress events. Default 250. */
  readonly progressIntervalMs?: number;
  /** Extra request headers. `Range`, `If-Range` and `Accept-Encoding` are always set by the engine. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Credential headers (e.g. `authorization`, `x-api-key`): sent only to the origin of the URL
   * passed to `download`, and dropped for the rest of the request as soon as a redirect leads to
   * another origin (even one the caller would also trust). Never put in errors or events.
   */
  readonly credentialHeaders?: Readonly<Record<string, string>>;
  /** Vets every address before it is connected to, on every redirect hop. */
  readonly connectGuard?: ConnectGuard;
  /** Redirects followed per request. Default 10. */
  readonly maxRedirects?: number;
  /** Restarts from 0 because the resource changed before giving up with `ResourceChangedError`. Default 3. */
  readonly maxRestarts?: number;
  /**
   * Size in bytes the file must have. A server declaring another size fails the download with
   * `SizeMismatchError` before anything is written; without a declared size the bytes are
   * counted and the same error is raised as soon as they exceed it, or at the end if short.
   */
  readonly expectedSize?: number;
  /**
   * Largest file accepted, in bytes. A server declaring more (Content-Length, Content-Range)
   * fails the download with `SizeLimitError` before anything is allocated or written; a body
   * of unknown length is stopped, and the same error raised, at the first byte over the cap.
   * Nothing is kept either way. Default: no cap.
   */
  readonly maxBytes?: number;
}

/** One part of the file whose bytes are on the sink. */
export interface CompletedPart {
  /** 0-based part number; the part covers `[index * partSize, min((index + 1) * partSize, total))`. */
  readonly index: number;
  readonly offset: number;
  readonly length: number;
  /** CRC32 (IEEE, as `zlib.crc32` computes it) of the part's bytes. */
  readonly crc32: number;
}

/** What a sink found from a previous, interrupted run. */
export interface SinkResumeState {
  /** URL the previous run downloaded (informational; validators decide). */
  readonly url: string;
  readonly validators: ResourceValidators;
  readonly total: number;
  readonly partSize: number;
  /** Parts that are durably complete and (where the sink can read back) re-verified. */
  readonly completedParts: ReadonlyArray<CompletedPart>;
}

/** The version being transferred, given to {@link Sink.begin}. */
export interface SinkTransfer {
  readonly url: string;
  readonly validators: ResourceValidators;
  /** Total size, unknown for a non-ranged stream without Content-Length. */
  readonly total: number | undefined;
  readonly partSize: number;
  /** Whether ranged transfer is used (only then is resume possible). */
  readonly ranged: boolean;
}

/** Static facts about a sink that shape how the engine plans the transfer. */
export interface SinkCapabilities {
  /**
   * True when the sink can `read` back bytes it was given (a local file). Then the engine
   * streams long ranges per connection and writes at random offsets. False (an object-store
   * multipart upload): the engine fetches whole parts in ascending order, hands each part to
   * `write` exactly once and in order, and keeps at most `maxBufferedParts` parts in memory.
   */
  readonly readBack: boolean;
  /** Part size the sink needs for a given total (e.g. S3's 10 000-part limit). */
  readonly partSizeFor?: (total: number | undefined, requested: number) => number;
  /** With `readBack: false`: parts held in memory at once. Default: the number of connections. */
  readonly maxBufferedParts?: number;
  /**
   * When a part becomes crash-safe. `'onCommit'` (the default): once `commitPart` resolves.
   * `'deferred'`: `commitPart` only accepts the part (e.g. its upload started) and the part
   * becomes crash-safe later (e.g. when the store acknowledged it). The engine does not wait
   * for that; a deferred sink's `open` must report only parts that really are durable, and
   * after a crash the engine fetches every other part again: with an object-store upload, the
   * parts that were still in flight (at most `maxBufferedParts` plus the uploads running).
   */
  readonly commitDurability?: 'onCommit' | 'deferred';
}

/** Final facts handed to {@link Sink.finalize} once every byte is verified. */
export interface SinkFinalizeInfo {
  readonly bytes: number;
  readonly sha256: string;
  readonly validators: ResourceValidators;
  readonly verified: ReadonlyArray<VerifiedChecksum>;
}

/**
 * Where downloaded bytes go. The engine calls, in order: `open` once; `begin` (again after a
 * restart); any number of `write` / `read` / `commitPart`; then exactly one of `finalize`
 * (all verified), `discard` (verification failed: nothing may survive) or `close` (aborted or
 * failed: keep resumable state). Calls to `write` for different offsets may overlap in time
 * when `capabilities.readBack` is true; `commitPart` calls may overlap too.
 */
export interface Sink {
  readonly capabilities: SinkCapabilities;
  /** Loads what a previous run left. Undefined means nothing usable: start over. */
  open(): Promise<SinkResumeState | undefined>;
  /**
   * Starts the transfer of one version. `keep` true: continue the state `open` returned
   * (same version); false: drop any previous state and start empty.
   */
  begin(transfer: SinkTransfer, keep: boolean): Promise<void>;
  /** Stores bytes at an absolute offset. The engine awaits it before reading more (backpressure). */
  write(offset: number, data: Uint8Array): Promise<void>;
  /**
   * Reads back stored bytes; required when `capabilities.readBack` is true. When `into` (at
   * least `length` bytes) is given, the sink may read into it and return a view of it: the
   * engine reuses one buffer for all read-back instead of leaving garbage per call.
   */
  read?(offset: number, length: number, into?: Uint8Array): Promise<Uint8Array>;
  /**
   * Records a fully written part. With `capabilities.commitDurability` `'onCommit'` (the
   * default) a crash after it resolves must not lose the part; with `'deferred'` the part may
   * still be lost until the sink made it durable, and `open` must then not report it.
   */
  commitPart(part: CompletedPart): Promise<void>;
  /** Publishes the verified result (rename the file, complete the upload). */
  finalize(info: SinkFinalizeInfo): Promise<void>;
  /** Removes everything (the bytes are wrong and must never be resumed). */
  discard(): Promise<void>;
  /** Releases resources, keeping resumable state. */
  close(): Promise<void>;
}
