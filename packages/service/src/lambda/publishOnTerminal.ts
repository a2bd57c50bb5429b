/** After Finalize / MarkCallbackTimedOut / MarkDeliveryFailed: the delivery's terminal event. */
import { AWS_ENV, required } from '../adapters/aws/awsSettings.js';
import { publishDeliveryEvent } from '../adapters/aws/events/publishDeliveryEvent.js';
import { deliveryInput } from '../handlers/taskInput.js';
import type { JsonValue } from '../ports/WorkflowEngine.js';
import type { AwsDependencies } from './awsDependencies.js';

/**
 * Puts `Delivery Completed` / `Delivery Failed` for the delivery of `input` when it is terminal.
 * A retried task may publish twice; consumers dedupe on `detail.deliveryId`.
 */
export async function publishOnTerminal(deps: AwsDependencies, input: JsonValue): Promise<void> {
  const { deliveryId } = deliveryInput(input);
  const delivery = await deps.store.get(deliveryId);
  if (delivery === undefined) return;
  await publishDeliveryEvent(deps.events, required(deps.env, AWS_ENV.eventBus), delivery);
}
