export {
  type AslObject,
  buildDeliveryStateMachine,
  type DeliveryStateMachineOptions,
  FILE_CHUNK_SIZE,
  type TaskResource,
  WAIT_FOR_TASK_TOKEN_RESOURCE,
} from './buildDeliveryStateMachine.js';
export { WORKFLOW_ERRORS, WorkflowTaskError } from './errorNames.js';
export { localResources } from './localResources.js';
export { TASK_NAMES, type TaskName } from './taskNames.js';
