import type { OrderedHasher } from '../hash/orderedSha256.js';
import type { ProgressMeter } from '../progress/progressMeter.js';
import type { Sink } from '../types.js';
import type { DownloadContext } from './context.js';

/** What every transfer mode works with during one attempt (between restarts). */
export interface TransferState {
  readonly ctx: DownloadContext;
  readonly sink: Sink;
  readonly hasher: OrderedHasher;
  readonly meter: ProgressMeter;
  /** Aborts this attempt (user abort, deadline, or a restart requested by any connection). */
  readonly signal: AbortSignal;
  readonly total: number;
  readonly partSize: number;
  /** Bytes received and stored during this attempt (refetched if the attempt is thrown away). */
  received: number;
}
