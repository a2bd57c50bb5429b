export type { ProviderProfileInput } from '../../callback-core/src/profile/types.js';
export { CallbackDownloader, DELIVERY_EVENT_SOURCE } from './CallbackDownloader.js';
export type { CallbackDownloaderProps, JsonValue, ProviderDefinition } from './CallbackDownloaderProps.js';
export { CallbackDownloaderError, type CallbackDownloaderErrorCode } from './errors.js';
