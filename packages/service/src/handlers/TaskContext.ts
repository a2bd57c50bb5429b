/** What every task handler runs against: the ports plus a few settings. */
import type { DownloadOptions, DownloadResult } from '@downloader/fetch-stream';
import type { DeliveryStore } from '../ports/DeliveryStore.js';
import type { LargeFileRunner } from '../ports/LargeFileRunner.js';
import type { ObjectStore } from '../ports/ObjectStore.js';
import type { ProviderProfiles } from '../ports/ProviderProfiles.js';
import type { SmallFileRunner } from './SmallFileRunner.js';

/** fetch-stream's `download` (injected so the handlers stay plain functions over ports). */
export type DownloadFunction = (url: string | URL, options: DownloadOptions) => Promise<DownloadResult>;

/** Window over which `TaskContext.minBytesPerSecond` is measured. */
export const LOW_SPEED_WINDOW_MS = 60_000;

/** Dependencies and settings of the task handlers. */
export interface TaskContext {
  readonly store: DeliveryStore;
  readonly objects: ObjectStore;
  readonly largeFiles: LargeFileRunner;
  readonly profiles: ProviderProfiles;
  readonly download: DownloadFunction;
  /**
   * Where DownloadSmall sends files whose object is a local file (`targetFor` of kind `file`)
   * instead of running {@link download} on this thread; absent: always {@link download}.
   */
  readonly smallFiles?: SmallFileRunner;
  /** Cancels in-flight work when the runtime stops; partial files stay resumable. */
  readonly signal: AbortSignal;
  readonly now: () => Date;
  /** Connections per small file. @default 1 below 16 MiB declared, else 4 */
  readonly connections?: number;
  /** Retries inside one fetch-stream call before the workflow's own Retry takes over. @default 2 */
  readonly fetchRetries?: number;
  /** Least average body speed (bytes/s over {@link LOW_SPEED_WINDOW_MS}) of a download. @default 0 (off) */
  readonly minBytesPerSecond?: number;
  /** Minimum ms between progress writes to the store. @default 500 */
  readonly progressIntervalMs?: number;
  /**
   * Whether DownloadSmall runs the batch's large files itself through {@link largeFiles} (the
   * local runtime: a child process each, inside the same window) instead of handing them back to
   * the definition's LargeFiles Map (the cloud: an AWS Batch job each). @default false
   */
  readonly largeFilesInBatch?: boolean;
  /** Milliseconds between a file's attempts inside a batch instead of the definition's backoff (tests). */
  readonly retryDelayMs?: number;
}
