/** After Finalize / MarkCallbackTimedOut / MarkDeliveryFailed: the delivery's terminal event and metrics. */
import type { Delivery } from '../domain/delivery.js';
import { deliveryInput } from '../handlers/taskInput.js';
import type { JsonValue } from '../ports/WorkflowEngine.js';
import type { AwsDependencies } from './awsDependencies.js';
import { deliveryFigures } from './observability/deliveryFigures.js';
import { recordDeliveryOutcome } from './observability/outcomeMetrics.js';
import { logger, metrics } from './observability/powertools.js';

/**
 * Puts `Delivery Completed` / `Delivery Failed` and records the outcome metrics (which the
 * alarms watch) for a delivery that is terminal; nothing for any other. A retried task may do it
 * twice; event consumers dedupe on `detail.deliveryId`.
 */
export async function reportTerminal(deps: AwsDependencies, delivery: Delivery): Promise<void> {
  const published = await deps.publish(delivery);
  if (!published) return;
  recordDeliveryOutcome(metrics, deliveryFigures(delivery), new Date());
  logger.info('delivery ended', { deliveryId: delivery.id, status: delivery.status });
}

/** {@link reportTerminal} for the delivery of a task's input. */
export async function publishOnTerminal(deps: AwsDependencies, input: JsonValue): Promise<void> {
  const { deliveryId } = deliveryInput(input);
  const delivery = await (await deps.store()).get(deliveryId);
  if (delivery === undefined) return;
  await reportTerminal(deps, delivery);
}
