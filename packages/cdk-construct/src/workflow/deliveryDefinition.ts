/** The service's ASL definition with this deployment's ARNs substituted. */
import { buildDeliveryStateMachine } from '@downloader/service/workflow';

/** Deployment values the definition refers to (CDK tokens). */
export interface DeliveryDefinitionInputs {
  readonly taskFunctionArns: { readonly [taskKey: string]: string };
  readonly jobQueueArn: string;
  readonly jobDefinitionArn: string;
  readonly bucket: string;
  readonly objectKeyPrefix: string;
}

/**
 * Calls the service's single-source builder (bundled into this package at build time) so that
 * what deploys is exactly what the local runtime runs.
 */
export function deliveryDefinition(inputs: DeliveryDefinitionInputs): object {
  return buildDeliveryStateMachine({ resources: inputs });
}
