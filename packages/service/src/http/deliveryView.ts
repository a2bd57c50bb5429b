/** The JSON shape of a delivery and its files in API answers. */
import type {
  DeliveryCounts,
  DeliveryHeader,
  DeliveryStatus,
  ErrorInfo,
  FilePage,
  FileRecord,
  FileStatus,
} from '../domain/delivery.js';

/** One file in an API answer. */
export interface FileView {
  /** Position in the delivery's list; stable for the delivery's life. */
  readonly index: number;
  readonly name: string;
  readonly sourceUrl: string;
  readonly size: number | null;
  readonly bytes: number;
  readonly sha256: string | null;
  readonly attempts: number;
  readonly status: FileStatus;
  readonly error: ErrorInfo | null;
}

/** A page of files in an API answer. */
export interface FilePageView {
  readonly items: readonly FileView[];
  /** Pass as `cursor` to `GET /deliveries/{id}/files` for the next page; null on the last. */
  readonly nextCursor: string | null;
}

/** A delivery in an API answer. */
export interface DeliveryView {
  readonly id: string;
  readonly provider: string;
  readonly projectId: string | null;
  readonly label: string | null;
  readonly status: DeliveryStatus;
  readonly callbackUrl: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly expiresAt: string;
  readonly callbackReceivedAt: string | null;
  readonly error: ErrorInfo | null;
  /** Files by status and bytes expected / done, kept by the store: the same for any file count. */
  readonly counts: DeliveryCounts;
  /** The counts as a progress display reads them. */
  readonly progress: {
    readonly files: number;
    readonly completed: number;
    readonly failed: number;
    readonly bytes: number;
    /** Sum of the sizes; null while any size is unknown. */
    readonly totalBytes: number | null;
  };
  /** The first page of files (`GET /deliveries/{id}` only; lists leave it out). */
  readonly files?: FilePageView;
}

/** Maps a stored file to its API view. */
export function toFileView(file: FileRecord): FileView {
  return {
    index: file.index,
    name: file.name,
    sourceUrl: file.sourceUrl,
    size: file.size ?? null,
    bytes: file.bytes,
    sha256: file.sha256 ?? null,
    attempts: file.attempts,
    status: file.status,
    error: file.error ?? null,
  };
}

/** Maps a page of stored files to its API view. */
export function toFilePageView(page: FilePage): FilePageView {
  return { items: page.items.map(toFileView), nextCursor: page.nextCursor ?? null };
}

/** Maps a stored delivery (and, for a single delivery, its first file page) to its API view. */
export function toDeliveryView(
  delivery: DeliveryHeader,
  callbackUrl: string,
  files?: FilePage,
): DeliveryView {
  const { counts } = delivery;
  return {
    id: delivery.id,
    provider: delivery.providerId,
    projectId: delivery.projectId ?? null,
    label: delivery.label ?? null,
    status: delivery.status,
    callbackUrl,
    createdAt: delivery.createdAt,
    updatedAt: delivery.updatedAt,
    expiresAt: delivery.expiresAt,
    callbackReceivedAt: delivery.callback?.receivedAt ?? null,
    error: delivery.error ?? null,
    counts,
    progress: {
      files: counts.files,
      completed: counts.completed,
      failed: counts.failed,
      bytes: counts.bytesDone,
      totalBytes: counts.sizeUnknown > 0 ? null : counts.bytesExpected,
    },
    ...(files === undefined ? {} : { files: toFilePageView(files) }),
  };
}
