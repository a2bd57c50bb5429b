/** The JSON shape of a delivery in API answers. */
import type { Delivery, DeliveryStatus, ErrorInfo, FileStatus } from '../domain/delivery.js';

/** One file in an API answer. */
export interface FileView {
  readonly name: string;
  readonly sourceUrl: string;
  readonly size: number | null;
  readonly bytes: number;
  readonly sha256: string | null;
  readonly attempts: number;
  readonly status: FileStatus;
  readonly error: ErrorInfo | null;
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
  /** Totals over `files`: what a progress display needs. */
  readonly progress: {
    readonly files: number;
    readonly completed: number;
    readonly failed: number;
    readonly bytes: number;
    /** Sum of known sizes; null while any size is unknown. */
    readonly totalBytes: number | null;
  };
  readonly files: readonly FileView[];
}

/** Maps a stored delivery to its API view. */
export function toDeliveryView(delivery: Delivery, callbackUrl: string): DeliveryView {
  let totalBytes: number | null = 0;
  let bytes = 0;
  let completed = 0;
  let failed = 0;
  for (const file of delivery.files) {
    bytes += file.bytes;
    totalBytes = totalBytes === null || file.size === undefined ? null : totalBytes + file.size;
    if (file.status === 'completed') completed += 1;
    if (file.status === 'failed') failed += 1;
  }
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
    progress: { files: delivery.files.length, completed, failed, bytes, totalBytes },
    files: delivery.files.map((file) => ({
      name: file.name,
      sourceUrl: file.sourceUrl,
      size: file.size ?? null,
      bytes: file.bytes,
      sha256: file.sha256 ?? null,
      attempts: file.attempts,
      status: file.status,
      error: file.error ?? null,
    })),
  };
}
