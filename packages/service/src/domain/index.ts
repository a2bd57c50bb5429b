export type { FileListSource, NormalisedCallback } from './callback.js';
export {
  type CallbackIdentity,
  type CallbackJudgement,
  type CallbackVerdict,
  judgeCallback,
  receiptOf,
} from './callbackVerdict.js';
export {
  type CallbackReceipt,
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryCounts,
  type DeliveryHeader,
  type DeliveryStatus,
  type ErrorInfo,
  type ExpectedChecksums,
  FILE_STATUSES,
  type FilePage,
  type FileRecord,
  type FileStatus,
  isTerminalStatus,
  OPEN_STATUSES,
  TERMINAL_STATUSES,
} from './delivery.js';
export {
  DeliveryNotFoundError,
  IdempotencyConflictError,
  ObjectKeyError,
  ServiceError,
  type ServiceErrorCode,
} from './errors.js';
export type { FilePatch } from './filePatch.js';
export type { FileSpec } from './fileSpec.js';
export { DEFAULT_DELIVERY_PAGE_SIZE, DEFAULT_FILE_PAGE_SIZE, MAX_PAGE_SIZE } from './paging.js';
