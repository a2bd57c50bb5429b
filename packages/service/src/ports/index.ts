export type {
  CallbackVerdict,
  CreateResult,
  DeliveryFile,
  DeliveryPage,
  DeliveryStore,
  FilePatch,
  FileUpdate,
  IncomingCallback,
  ListDeliveriesQuery,
  ListFilesQuery,
  ListOpenQuery,
  NewDelivery,
  RecordCallbackResult,
  TransitionOptions,
} from './DeliveryStore.js';
export type { LargeFileJob, LargeFileResult, LargeFileRunner } from './LargeFileRunner.js';
export type { ObjectStore, ObjectTarget } from './ObjectStore.js';
export type { ProviderProfiles } from './ProviderProfiles.js';
export type { UrlPolicyLike } from './UrlPolicyLike.js';
export type {
  DeliveryExecutionInput,
  JsonValue,
  StartExecutionResult,
  WorkflowEngine,
} from './WorkflowEngine.js';
