/** Item layout of the DynamoDB delivery store (one table; keys fixed by the CDK construct). */
import type {
  CallbackReceipt,
  Delivery,
  DeliveryStatus,
  ErrorInfo,
  ExpectedChecksums,
  FileRecord,
  FileStatus,
} from '../../../domain/delivery.js';

/** Attribute names the CDK construct's table defines. */
export const KEYS = {
  partition: 'pk',
  sort: 'sk',
  listIndex: 'byCreatedAt',
  listPartition: 'gsi1pk',
  listSort: 'gsi1sk',
  ttl: 'ttl',
} as const;

/** Sort key of a delivery's main item. */
export const META = 'META';
/** Partition of every delivery in the list index (newest first by `createdAt#id`). */
export const LIST_PARTITION = 'DELIVERY';

export const deliveryPk = (id: string): string => `D#${id}`;
/** Zero-padded so that files sort by index. */
export const fileSk = (index: number): string => `F#${String(index).padStart(7, '0')}`;
export const idempotencyPk = (key: string): string => `IDEM#${key}`;
export const dedupePk = (key: string): string => `DEDUPE#${key}`;

/** The main item of a delivery. */
export interface DeliveryItem {
  readonly pk: string;
  readonly sk: typeof META;
  readonly gsi1pk: typeof LIST_PARTITION;
  readonly gsi1sk: string;
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
  /** Number of files once a list is stored (absent before). */
  readonly fileCount?: number;
  /** Receipt of the accepted callback; its body is the `CB#<sha256(dedupeKey)>` item. */
  readonly callback?: CallbackReceipt;
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

export function toDelivery(item: DeliveryItem, files: readonly FileRecord[]): Delivery {
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
    files,
    ...(item.error === undefined ? {} : { error: item.error }),
  };
}
