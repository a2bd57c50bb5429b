/** The service's ASL definition with this deployment's ARNs substituted. */
import {
  BATCH_SUBMIT_RETRY_ERRORS,
  batchDownloadLargeResource,
} from '../../../service/src/adapters/aws/batchDownloadLargeResource.js';
import { buildDeliveryStateMachine } from '../../../service/src/workflow/buildDeliveryStateMachine.js';
import type { LambdaTaskName } from './taskHandlers.js';

/** Deployment values the definition refers to (CDK tokens). */
export interface DeliveryDefinitionInputs {
  readonly taskFunctionArns: Readonly<Record<LambdaTaskName, string>>;
  readonly jobQueueArn: string;
  readonly jobDefinitionArn: string;
  /** Seconds DownloadLarge may take: every Batch attempt of the job, queue time included. */
  readonly largeFileTimeoutSeconds: number;
}

/**
 * Calls the service's single-source builder (bundled into this package at build time, so
 * consumers never install the service) so that what deploys is what the local runtime runs.
 */
export function deliveryDefinition(inputs: DeliveryDefinitionInputs): object {
  return buildDeliveryStateMachine({
    largeFileTimeoutSeconds: inputs.largeFileTimeoutSeconds,
    largeFileRetryErrors: BATCH_SUBMIT_RETRY_ERRORS,
    resources: {
      ...inputs.taskFunctionArns,
      DownloadLarge: batchDownloadLargeResource({
        jobQueueArn: inputs.jobQueueArn,
        jobDefinitionArn: inputs.jobDefinitionArn,
      }),
    },
  });
}
