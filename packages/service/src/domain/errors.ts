/** Typed errors of `@downloader/service`. */

/** Stable machine-readable error codes of the service core. */
export type ServiceErrorCode =
  | 'DELIVERY_NOT_FOUND'
  | 'INVALID_CURSOR'
  | 'IDEMPOTENCY_CONFLICT'
  | 'UNKNOWN_PROVIDER'
  | 'FILE_LIST_INVALID'
  | 'FILE_LIST_TOO_LARGE'
  | 'URL_BLOCKED'
  | 'LARGE_FILE_RUNNER_FAILED'
  | 'OBJECT_KEY_INVALID'
  | 'OBJECT_PATH_UNSAFE'
  | 'RUNTIME_CLOSED'
  | 'TASK_TOKEN_NOT_SENT'
  | 'STORE_WRITE_INCOMPLETE';

/** Base class of every error the service core raises. */
export class ServiceError extends Error {
  /** Stable code; see {@link ServiceErrorCode}. */
  readonly code: ServiceErrorCode;

  constructor(code: ServiceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceError';
    this.code = code;
  }
}

/** No delivery has this id. */
export class DeliveryNotFoundError extends ServiceError {
  readonly deliveryId: string;

  constructor(deliveryId: string) {
    super('DELIVERY_NOT_FOUND', `No delivery with id "${deliveryId}"; check the id in the callback URL.`);
    this.name = 'DeliveryNotFoundError';
    this.deliveryId = deliveryId;
  }
}

/** The same idempotency key was used before with a different request. */
export class IdempotencyConflictError extends ServiceError {
  constructor(key: string) {
    super(
      'IDEMPOTENCY_CONFLICT',
      `Idempotency key "${key}" was already used for a different delivery request; use a new key.`,
    );
    this.name = 'IdempotencyConflictError';
  }
}

/** A folder on the way to an object is a link (or not a folder): writing there could land anywhere. */
export class ObjectPathError extends ServiceError {
  /** The offending component, relative to the object store's root. */
  readonly component: string;

  constructor(component: string) {
    super(
      'OBJECT_PATH_UNSAFE',
      `"${component}" in the downloads folder is a link or not a folder; nothing is written through it. Remove it and retry the delivery.`,
    );
    this.name = 'ObjectPathError';
    this.component = component;
  }
}

/** A stored object key would escape its delivery prefix or is not a sanitised key. */
export class ObjectKeyError extends ServiceError {
  constructor(key: string) {
    super('OBJECT_KEY_INVALID', `Object key "${key}" is not a safe relative key; sanitise it first.`);
    this.name = 'ObjectKeyError';
  }
}
