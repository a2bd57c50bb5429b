export { ensurePromiseWithResolvers } from './engine/ensurePromiseWithResolvers.js';
export {
  type ExecutionOutcome,
  LocalStepFunctionsEngine,
  type LocalStepFunctionsEngineOptions,
  type LocalTaskHandler,
  type TokenRegistrar,
} from './engine/LocalStepFunctionsEngine.js';
export { TaskFailedByCallerError } from './engine/TaskTokenWaiters.js';
export { FileSystemObjectStore } from './fs/FileSystemObjectStore.js';
export { resolveObjectPath } from './fs/resolveObjectPath.js';
export {
  ChildProcessLargeFileRunner,
  type ChildProcessLargeFileRunnerOptions,
} from './runner/ChildProcessLargeFileRunner.js';
export { LargeFileRunnerError } from './runner/LargeFileRunnerError.js';
export { SqliteDeliveryStore, type SqliteDeliveryStoreOptions } from './sqlite/SqliteDeliveryStore.js';
export { StateDatabaseInUseError } from './sqlite/StateDatabaseInUseError.js';
