/** Whether a delivery's Step Functions execution (named after the delivery id) still runs. */
import { DescribeExecutionCommand, ExecutionDoesNotExist, type SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionState } from '../../../recovery/reconcileDeliveries.js';

/** `arn:…:stateMachine:name` → `arn:…:execution:name:<execution>`. */
export function executionArnOf(stateMachineArn: string, executionName: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
}

/**
 * `running` for RUNNING and PENDING_REDRIVE (someone is redriving it); `ended` for every other
 * status and for an execution that does not exist (it never started, so nothing will move the
 * delivery).
 */
export async function describeExecutionState(
  client: SFNClient,
  stateMachineArn: string,
  deliveryId: string,
): Promise<ExecutionState> {
  try {
    const { status } = await client.send(
      new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, deliveryId) }),
    );
    return status === 'RUNNING' || status === 'PENDING_REDRIVE' ? 'running' : 'ended';
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return 'ended';
    throw error;
  }
}
