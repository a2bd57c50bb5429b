/** The delivery model: one expected drop from one provider, and its files. */

/** Where a delivery is in its life. The last four are terminal. */
export type DeliveryStatus =
  | 'awaiting_callback'
  | 'resolving'
  | 'downloading'
  | 'completed'
  | 'partially_failed'
  | 'failed'
  | 'callback_timed_out';

/** Statuses after which nothing changes any more. */
export const TERMINAL_STATUSES: readonly DeliveryStatus[] = [
  'completed',
  'partially_failed',
  'failed',
  'callback_timed_out',
];

/** Every status, in workflow order. */
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'awaiting_callback',
  'resolving',
  'downloading',
  ...TERMINAL_STATUSES,
];

/** Statuses of a delivery still under way (the complement of {@link TERMINAL_STATUSES}). */
export const OPEN_STATUSES: readonly DeliveryStatus[] = ['awaiting_callback', 'resolving', 'downloading'];

/** True when `status` is terminal (see {@link TERMINAL_STATUSES}). */
export function isTerminalStatus(status: DeliveryStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Where one file is. */
export type FileStatus = 'pending' | 'downloading' | 'completed' | 'failed';

/** Every file status, in order. */
export const FILE_STATUSES: readonly FileStatus[] = ['pending', 'downloading', 'completed', 'failed'];

/** A failure with a stable code (callback-core / fetch-stream / service codes) and a readable message. */
export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
}

/** Checksums a provider declared for a file: lower-case hex. */
export interface ExpectedChecksums {
  readonly sha256?: string;
  readonly md5?: string;
  readonly crc32c?: string;
}

/** One file of a delivery, as stored and reported. */
export interface FileRecord {
  /** Position in the delivery's file list (0-based); stable for the delivery's life. */
  readonly index: number;
  /** Sanitised object key relative to the delivery prefix (`a/b.csv`); unique within the delivery. */
  readonly name: string;
  readonly sourceUrl: string;
  /** Size in bytes, declared by the provider or learned by the probe. */
  readonly size?: number;
  readonly expected?: ExpectedChecksums;
  /** Bytes on storage so far (the final size once completed). */
  readonly bytes: number;
  /** Lower-case hex sha256 of the stored bytes, once completed. */
  readonly sha256?: string;
  /** Download attempts started (a resume after a crash counts as one more). */
  readonly attempts: number;
  readonly status: FileStatus;
  readonly error?: ErrorInfo;
  /** Whether the file went through the in-process path or the large-file runner. */
  readonly route?: 'small' | 'large';
}

/** The accepted callback, as stored (the dedupe key and body hash identify it). */
export interface CallbackReceipt {
  /** The provider's event id, when the signature scheme carries one. */
  readonly eventId?: string;
  /** callback-core `dedupeKey(...).key`. */
  readonly dedupeKey: string;
  /** Lower-case hex sha256 of the raw body. */
  readonly bodySha256: string;
  /** ISO-8601 time the callback was accepted. */
  readonly receivedAt: string;
}

/**
 * Totals over a delivery's files, kept on the delivery record and updated with every file change
 * (O(1) per change): what a progress display, an event or a status decision needs without
 * reading the files.
 */
export interface DeliveryCounts {
  /** Files in the list (0 until the list is resolved, unless given at registration). */
  readonly files: number;
  readonly pending: number;
  readonly downloading: number;
  readonly completed: number;
  readonly failed: number;
  /** Sum of the sizes known so far (declared by the provider or learned by the probe). */
  readonly bytesExpected: number;
  /** Files whose size is not known yet: while above 0, `bytesExpected` is a lower bound. */
  readonly sizeUnknown: number;
  /** Bytes on storage so far, over every file. */
  readonly bytesDone: number;
}

/** One expected delivery, without its files: what the store keeps on the delivery record. */
export interface DeliveryHeader {
  /** 128+ random bits, URL-safe. Also the execution name and the object-key prefix. */
  readonly id: string;
  readonly providerId: string;
  readonly projectId?: string;
  readonly label?: string;
  readonly status: DeliveryStatus;
  /** ISO-8601. */
  readonly createdAt: string;
  /** ISO-8601 callback deadline: after it the delivery ends as `callback_timed_out`. */
  readonly expiresAt: string;
  /** ISO-8601 time of the last change. */
  readonly updatedAt: string;
  readonly callback?: CallbackReceipt;
  /** Why the delivery failed as a whole (resolution failure, timeout). */
  readonly error?: ErrorInfo;
  readonly counts: DeliveryCounts;
}

/** One page of a delivery's files, in index order. */
export interface FilePage {
  readonly items: readonly FileRecord[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

/** A delivery as the API answers it: the header, its counts and (optionally) a first page of files. */
export interface Delivery extends DeliveryHeader {
  readonly files?: FilePage;
}
