/** After Finalize / MarkCallbackTimedOut / MarkDeliveryFailed: the delivery's terminal event. */
import { deliveryInput } from '../handlers/taskInput.js';
import type { JsonValue } from '../ports/WorkflowEngine.js';
import type { AwsDependencies } from './awsDependencies.js';

/**
 * Puts `Delivery Completed` / `Delivery Failed` for the delivery of `input` when it is terminal.
 * A retried task may publish twice; consumers dedupe on `detail.deliveryId`.
 */
export async function publishOnTerminal(deps: AwsDependencies, input: JsonValue): Promise<void> {
  const { deliveryId } = deliveryInput(input);
  const delivery = await (await deps.store()).get(deliveryId);
  if (delivery === undefined) return;
  await deps.publish(delivery);
}
