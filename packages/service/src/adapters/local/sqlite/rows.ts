/** Row shapes of the SQLite store and their mapping to domain objects. */
import type {
  CallbackReceipt,
  DeliveryHeader,
  DeliveryStatus,
  ErrorInfo,
  FileRecord,
  FileStatus,
} from '../../../domain/delivery.js';

/** The columns of a delivery row that make its {@link DeliveryHeader} (no token, no callback body). */
export interface DeliveryHeaderRow {
  readonly id: string;
  readonly provider_id: string;
  readonly project_id: string | null;
  readonly label: string | null;
  readonly status: string;
  readonly created_at: string;
  readonly expires_at: string;
  readonly updated_at: string;
  readonly error_json: string | null;
  readonly callback_receipt_json: string | null;
  readonly files_total: number;
  readonly files_pending: number;
  readonly files_downloading: number;
  readonly files_completed: number;
  readonly files_failed: number;
  readonly bytes_expected: number;
  readonly size_unknown: number;
  readonly bytes_done: number;
}

/** The header columns, for every query that maps to a {@link DeliveryHeader}. */
export const HEADER_COLUMNS = `id, provider_id, project_id, label, status, created_at, expires_at, updated_at,
  error_json, callback_receipt_json, files_total, files_pending, files_downloading, files_completed,
  files_failed, bytes_expected, size_unknown, bytes_done`;

/** Selects a {@link DeliveryHeaderRow} by id: only the columns the header needs, nothing to discard. */
export const SELECT_DELIVERY_HEADER = `SELECT ${HEADER_COLUMNS} FROM deliveries WHERE id = ?`;

export interface FileRow {
  readonly idx: number;
  readonly name: string;
  readonly source_url: string;
  readonly size: number | null;
  readonly expected_json: string | null;
  readonly bytes: number;
  readonly sha256: string | null;
  readonly attempts: number;
  readonly status: string;
  readonly error_json: string | null;
  readonly route: string | null;
}

export function toFileRecord(row: FileRow): FileRecord {
  return {
    index: row.idx,
    name: row.name,
    sourceUrl: row.source_url,
    ...(row.size === null ? {} : { size: row.size }),
    ...(row.expected_json === null ? {} : { expected: JSON.parse(row.expected_json) }),
    bytes: row.bytes,
    ...(row.sha256 === null ? {} : { sha256: row.sha256 }),
    attempts: row.attempts,
    status: row.status as FileStatus,
    ...(row.error_json === null ? {} : { error: JSON.parse(row.error_json) as ErrorInfo }),
    ...(row.route === 'small' || row.route === 'large' ? { route: row.route } : {}),
  };
}

export function toDeliveryHeader(row: DeliveryHeaderRow): DeliveryHeader {
  return {
    id: row.id,
    providerId: row.provider_id,
    ...(row.project_id === null ? {} : { projectId: row.project_id }),
    ...(row.label === null ? {} : { label: row.label }),
    status: row.status as DeliveryStatus,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    updatedAt: row.updated_at,
    ...(row.callback_receipt_json === null
      ? {}
      : { callback: JSON.parse(row.callback_receipt_json) as CallbackReceipt }),
    ...(row.error_json === null ? {} : { error: JSON.parse(row.error_json) as ErrorInfo }),
    counts: {
      files: row.files_total,
      pending: row.files_pending,
      downloading: row.files_downloading,
      completed: row.files_completed,
      failed: row.files_failed,
      bytesExpected: row.bytes_expected,
      sizeUnknown: row.size_unknown,
      bytesDone: row.bytes_done,
    },
  };
}
