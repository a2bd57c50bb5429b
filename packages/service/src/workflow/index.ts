export {
  type AslObject,
  BATCHES_PER_ROUND,
  buildDeliveryStateMachine,
  type DeliveryStateMachineOptions,
  FILE_BATCH_SIZE,
  type TaskResource,
  WAIT_FOR_TASK_TOKEN_RESOURCE,
  WHOLE_DELIVERY,
} from './buildDeliveryStateMachine.js';
export { WORKFLOW_ERRORS, WorkflowTaskError } from './errorNames.js';
export { localResources } from './localResources.js';
export { TASK_NAMES, type TaskName } from './taskNames.js';
