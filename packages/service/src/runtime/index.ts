export type { SettledDelivery } from './allFiles.js';
export {
  createLocalRuntime,
  type LocalRuntime,
  type LocalRuntimeConfig,
  type RegisterDeliveryInput,
} from './createLocalRuntime.js';
export { defaultBatchRunnerCommand } from './defaultBatchRunnerCommand.js';
export { type ExecutionSettings, executionInputFor } from './executionInput.js';
export { localDefinitionOptions } from './localDefinitionOptions.js';
export { localTaskHandlers } from './localTaskHandlers.js';
