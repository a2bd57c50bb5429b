export type { FileListSource, NormalisedCallback } from './callback.js';
export {
  type CallbackReceipt,
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryStatus,
  type ErrorInfo,
  type ExpectedChecksums,
  type FileRecord,
  type FileStatus,
  isTerminalStatus,
  TERMINAL_STATUSES,
} from './delivery.js';
export {
  DeliveryNotFoundError,
  IdempotencyConflictError,
  ObjectKeyError,
  ServiceError,
  type ServiceErrorCode,
} from './errors.js';
export type { FileSpec } from './fileSpec.js';
