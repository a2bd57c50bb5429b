/** Item shapes of the DynamoDB delivery store and their mapping to domain objects (keys: `tableKeys.ts`). */
import type {
  CallbackReceipt,
  DeliveryCounts,
  DeliveryHeader,
  DeliveryStatus,
  ErrorInfo,
  ExpectedChecksums,
  FileRecord,
  FileStatus,
} from '../../../domain/delivery.js';
import type { FileSpec } from '../../../domain/fileSpec.js';
import { deliveryPk, fileSk, type LIST_PARTITION, type META, type OPEN_PARTITION } from './tableKeys.js';

/**
 * The counts, as top-level number attributes of the delivery item: `ADD` on a top-level number
 * needs no prior value, so a file change moves any of them in one update.
 */
export const COUNT_ATTRIBUTES = {
  files: 'fileCount',
  pending: 'filesPending',
  downloading: 'filesDownloading',
  completed: 'filesCompleted',
  failed: 'filesFailed',
  bytesExpected: 'bytesExpected',
  sizeUnknown: 'sizeUnknown',
  bytesDone: 'bytesDone',
} as const satisfies Record<keyof DeliveryCounts, string>;

type CountAttributes = { readonly [K in (typeof COUNT_ATTRIBUTES)[keyof typeof COUNT_ATTRIBUTES]]?: number };

/** The main item of a delivery. */
export interface DeliveryItem extends CountAttributes {
  readonly pk: string;
  readonly sk: typeof META;
  readonly gsi1pk: typeof LIST_PARTITION;
  readonly gsi1sk: string;
  /** Present while the delivery is not terminal: puts it in the sparse open index. */
  readonly openPk?: typeof OPEN_PARTITION;
  readonly id: string;
  readonly providerId: string;
  readonly projectId?: string;
  readonly label?: string;
  readonly status: DeliveryStatus;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly updatedAt: string;
  readonly requestHash: string;
  readonly idempotencyKey?: string;
  /** Receipt of the accepted callback; its body is in the `CB#…` items. */
  readonly callback?: CallbackReceipt;
  /** Parts the accepted callback's body was stored in. */
  readonly callbackParts?: number;
  readonly taskToken?: string;
  readonly error?: ErrorInfo;
}

/** One file of a delivery. */
export interface FileItem {
  readonly pk: string;
  readonly sk: string;
  readonly index: number;
  readonly name: string;
  readonly sourceUrl: string;
  readonly size?: number;
  readonly expected?: ExpectedChecksums;
  readonly bytes: number;
  readonly sha256?: string;
  readonly attempts: number;
  readonly status: FileStatus;
  readonly error?: ErrorInfo;
  readonly route?: 'small' | 'large';
}

/** A new, pending file item for entry `index` of a list. */
export function newFileItem(id: string, index: number, file: FileSpec): FileItem {
  return {
    pk: deliveryPk(id),
    sk: fileSk(index),
    index,
    name: file.name,
    sourceUrl: file.url,
    ...(file.size === undefined ? {} : { size: file.size }),
    ...(file.checksums === undefined ? {} : { expected: file.checksums }),
    bytes: 0,
    attempts: 0,
    status: 'pending',
  };
}

export function toFileRecord(item: FileItem): FileRecord {
  return {
    index: item.index,
    name: item.name,
    sourceUrl: item.sourceUrl,
    ...(item.size === undefined ? {} : { size: item.size }),
    ...(item.expected === undefined ? {} : { expected: item.expected }),
    bytes: item.bytes,
    ...(item.sha256 === undefined ? {} : { sha256: item.sha256 }),
    attempts: item.attempts,
    status: item.status,
    ...(item.error === undefined ? {} : { error: item.error }),
    ...(item.route === undefined ? {} : { route: item.route }),
  };
}

function countsOf(item: DeliveryItem): DeliveryCounts {
  const counts = {} as { -readonly [K in keyof DeliveryCounts]: number };
  for (const [field, attribute] of Object.entries(COUNT_ATTRIBUTES) as [
    keyof DeliveryCounts,
    keyof CountAttributes,
  ][]) {
    counts[field] = item[attribute] ?? 0;
  }
  return counts;
}

export function toDeliveryHeader(item: DeliveryItem): DeliveryHeader {
  return {
    id: item.id,
    providerId: item.providerId,
    ...(item.projectId === undefined ? {} : { projectId: item.projectId }),
    ...(item.label === undefined ? {} : { label: item.label }),
    status: item.status,
    createdAt: item.createdAt,
    expiresAt: item.expiresAt,
    updatedAt: item.updatedAt,
    ...(item.callback === undefined ? {} : { callback: item.callback }),
    ...(item.error === undefined ? {} : { error: item.error }),
    counts: countsOf(item),
  };
}
