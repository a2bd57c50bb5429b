/** Row shapes of the SQLite store and their mapping to domain objects. */
import type {
  CallbackReceipt,
  Delivery,
  DeliveryStatus,
  ErrorInfo,
  FileRecord,
  FileStatus,
} from '../../../domain/delivery.js';
import type { DeliveryHeader } from '../../../ports/DeliveryStore.js';

export interface DeliveryRow {
  readonly seq: number;
  readonly id: string;
  readonly provider_id: string;
  readonly project_id: string | null;
  readonly label: string | null;
  readonly status: string;
  readonly created_at: string;
  readonly expires_at: string;
  readonly updated_at: string;
  readonly idempotency_key: string | null;
  readonly request_hash: string;
  readonly error_json: string | null;
  readonly callback_receipt_json: string | null;
}

/** The columns of a delivery row that make its {@link DeliveryHeader} (no file list, token or callback). */
export type DeliveryHeaderRow = Pick<
  DeliveryRow,
  | 'id'
  | 'provider_id'
  | 'project_id'
  | 'label'
  | 'status'
  | 'created_at'
  | 'expires_at'
  | 'updated_at'
  | 'error_json'
  | 'callback_receipt_json'
>;

/** Selects a {@link DeliveryHeaderRow} by id: only the columns the header needs, nothing to discard. */
export const SELECT_DELIVERY_HEADER = `SELECT id, provider_id, project_id, label, status, created_at, expires_at,
    updated_at, error_json, callback_receipt_json
  FROM deliveries WHERE id = ?`;

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

/** The delivery without its files, as `toDelivery` would give it minus `files`. */
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
  };
}

export function toDelivery(row: DeliveryRow, files: readonly FileRecord[]): Delivery {
  return { ...toDeliveryHeader(row), files };
}
