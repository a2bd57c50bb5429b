/** Hands an accepted callback to the execution waiting for it, at most once per stored token. */
import { ServiceError } from '../domain/errors.js';
import type { DeliveryStore } from '../ports/DeliveryStore.js';
import type { WorkflowEngine } from '../ports/WorkflowEngine.js';

/**
 * What {@link relayTaskToken} did:
 * - `sent`: the waiting task took the token and moved on;
 * - `gone`: the engine no longer knew the token (already completed, timed out): nothing to do;
 * - `none`: no token stored (never stored yet, or already relayed).
 */
export type RelayOutcome = 'sent' | 'gone' | 'none';

/** The engine refused or could not be reached; the token is still stored, so a later relay retries. */
export class TaskTokenNotSentError extends ServiceError {
  readonly deliveryId: string;

  constructor(deliveryId: string, cause: unknown) {
    super(
      'TASK_TOKEN_NOT_SENT',
      `The callback of delivery "${deliveryId}" is stored, but the workflow could not be woken; ` +
        'send the same callback again (it is idempotent), or wait for the reconciler.',
      { cause },
    );
    this.name = 'TaskTokenNotSentError';
    this.deliveryId = deliveryId;
  }
}

/**
 * Sends the delivery's stored task token with SendTaskSuccess and then forgets it, so a stored
 * token always means "not yet consumed". Idempotent on both sides: a token the engine no longer
 * knows is forgotten as well, and a second relay finds none. When the send fails the token stays
 * and {@link TaskTokenNotSentError} is thrown: a duplicate callback or the reconciler relays it.
 */
export async function relayTaskToken(
  store: DeliveryStore,
  engine: WorkflowEngine,
  deliveryId: string,
): Promise<RelayOutcome> {
  const token = await store.getTaskToken(deliveryId);
  if (token === undefined) return 'none';
  let sent: boolean;
  try {
    sent = await engine.sendTaskSuccess(token, { deliveryId });
  } catch (error) {
    throw new TaskTokenNotSentError(deliveryId, error);
  }
  await store.deleteTaskToken(deliveryId);
  return sent ? 'sent' : 'gone';
}
