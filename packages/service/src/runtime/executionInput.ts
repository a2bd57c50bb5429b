/** The execution input that drives a delivery on from its stored status. */
import type { DeliveryHeader } from '../domain/delivery.js';
import type { DeliveryExecutionInput } from '../ports/WorkflowEngine.js';

/** Settings every execution carries. */
export interface ExecutionSettings {
  readonly maxConcurrency: number;
  readonly largeFileThreshold: number;
}

/**
 * `awaiting_callback` waits again for what is left of the deadline (at least 1 s, the
 * smallest timeout the States Language allows); `resolving` and `downloading` skip the wait: a
 * callback once accepted is never awaited again.
 */
export function executionInputFor(
  delivery: DeliveryHeader,
  settings: ExecutionSettings,
  now: Date,
): DeliveryExecutionInput {
  const remainingMs = Date.parse(delivery.expiresAt) - now.getTime();
  return {
    deliveryId: delivery.id,
    resumeFrom:
      delivery.status === 'resolving' ? 'resolve' : delivery.status === 'downloading' ? 'download' : 'await',
    callbackTimeoutSeconds: Math.max(1, Math.ceil(remainingMs / 1000)),
    maxConcurrency: settings.maxConcurrency,
    largeFileThreshold: settings.largeFileThreshold,
  };
}
