/** DescribeExecution for the reconciler (loaded on first use). */
import { SFNClient } from '@aws-sdk/client-sfn';
import { AWS_ENV, required } from '../../adapters/aws/awsSettings.js';
import { describeExecutionState } from '../../adapters/aws/sfn/describeExecutionState.js';
import type { ExecutionState } from '../../recovery/reconcileDeliveries.js';
import { traced } from '../observability/traced.js';
import { endpoint } from './clientOptions.js';

export function createExecutionState(
  env: Readonly<Record<string, string | undefined>>,
): (deliveryId: string) => Promise<ExecutionState> {
  const client = traced(new SFNClient({ ...endpoint(env, AWS_ENV.sfnEndpoint) }));
  const stateMachineArn = required(env, AWS_ENV.stateMachineArn);
  return (deliveryId) => describeExecutionState(client, stateMachineArn, deliveryId);
}
