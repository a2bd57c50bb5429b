/** Port: fetches one large file out of process (a child process locally, an AWS Batch job in the cloud). */
import type { ExpectedChecksums } from '../domain/delivery.js';
import type { ObjectTarget } from './ObjectStore.js';
import type { UrlPolicyLike } from './UrlPolicyLike.js';

/** One large-file job. */
export interface LargeFileJob {
  readonly deliveryId: string;
  readonly fileIndex: number;
  readonly url: string;
  readonly target: ObjectTarget;
  readonly expected?: ExpectedChecksums;
  /** The size the file must have. */
  readonly size?: number;
  /** Largest size accepted (a file of unknown size is stopped there); nothing is kept beyond it. */
  readonly maxBytes?: number;
  /** The provider's URL policy, applied by the runner at connect time. */
  readonly urlPolicy?: UrlPolicyLike;
  /** Credential headers for this URL's origin only (from the profile's `requestAuth`); secret. */
  readonly credentialHeaders?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Bytes on the target so far, as the runner reports them. */
  readonly onProgress?: (bytes: number) => void;
}

/** What a finished job reports. */
export interface LargeFileResult {
  readonly bytes: number;
  /** Lower-case hex sha256 of the stored bytes. */
  readonly sha256: string;
}

/**
 * Runs large-file jobs. Rejects with a `LargeFileRunnerError` whose `retryable` says whether a
 * new attempt may succeed; a new attempt resumes from what the previous one left.
 */
export interface LargeFileRunner {
  run(job: LargeFileJob): Promise<LargeFileResult>;
}
