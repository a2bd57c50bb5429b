/** What DownloadSmall can hand a file to instead of fetching it on the task's own thread. */
import type { ExpectedChecksums } from '../domain/delivery.js';
import type { UrlPolicyLike } from '../ports/UrlPolicyLike.js';

/** One small file to fetch into a local file, with everything a download needs as plain data. */
export interface SmallFileJob {
  readonly url: string;
  /** The object's path (the file-system object store's `targetFor`). */
  readonly path: string;
  readonly connections: number;
  /** The size the file must have (declared or probed): a small file is received in memory, at most this much, and written once. */
  readonly expectedSize?: number;
  readonly expected?: ExpectedChecksums;
  /** Largest size accepted; a larger file is stopped and nothing is kept. */
  readonly maxBytes?: number;
  /** fetch-stream's `timeouts.lowSpeedBytesPerSecond` (over `timeouts.lowSpeedWindow`). */
  readonly lowSpeed?: { readonly bytesPerSecond: number; readonly windowMs: number };
  /** The provider's URL policy, applied at connect time where the download runs. */
  readonly urlPolicy: UrlPolicyLike;
  /** Credential headers for this URL's origin only (fetch-stream `credentialHeaders`). */
  readonly credentialHeaders?: Readonly<Record<string, string>>;
  /** Retries inside the download before the workflow's own Retry takes over. */
  readonly retries: number;
  readonly signal: AbortSignal;
  /** Bytes received so far. */
  readonly onProgress: (bytes: number) => void;
}

/**
 * Fetches small files off the task's thread (the local runtime: worker threads), with the same
 * guarantees as fetch-stream's `download` into a `FileSink`: resumable journal, verified bytes,
 * the object only appearing once complete. Rejects with an error that keeps the download's
 * `code` and `retryable`, so the workflow classifies it as it would in-process.
 */
export interface SmallFileRunner {
  run(job: SmallFileJob): Promise<{ readonly bytes: number; readonly sha256: string }>;
}
