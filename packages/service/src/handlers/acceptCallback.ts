/** What the HTTP callback route calls once a callback is verified and normalised. */
import { judgeCallback } from '../domain/callbackVerdict.js';
import type { DeliveryStore, IncomingCallback, RecordCallbackResult } from '../ports/DeliveryStore.js';
import type { WorkflowEngine } from '../ports/WorkflowEngine.js';
import { relayTaskToken } from '../recovery/relayTaskToken.js';

/** `expired`: the deadline passed before the callback came (nothing changed). */
export type AcceptVerdict = RecordCallbackResult['verdict'] | 'expired';

/** Outcome of {@link acceptCallback}. */
export interface AcceptCallbackResult extends Omit<RecordCallbackResult, 'verdict'> {
  readonly verdict: AcceptVerdict;
}

/**
 * Records the callback atomically (new / duplicate / conflict / closed / not_found) and, when
 * new, completes the waiting AwaitCallback task with SendTaskSuccess (`relayTaskToken`). The
 * callback is durable before the engine is told, so a crash or a failed send in between loses
 * nothing: the token stays stored, and a duplicate callback, the reconciler (AWS) or the
 * restarted runtime (local) drives the delivery on. A failed send throws `TaskTokenNotSentError`.
 *
 * Map verdicts to HTTP: new → 202, duplicate → 200, conflict → 409 or 400, not_found → 404,
 * closed / expired → 410.
 */
export async function acceptCallback(
  deps: { readonly store: DeliveryStore; readonly engine: WorkflowEngine; readonly now?: () => Date },
  deliveryId: string,
  incoming: IncomingCallback,
): Promise<AcceptCallbackResult> {
  const now = deps.now?.() ?? new Date();
  const current = await deps.store.get(deliveryId);
  const early = judgeCallback({ delivery: current, stored: undefined, incoming, now });
  if (current === undefined) return { verdict: 'not_found' };
  if (early === 'expired') return { verdict: 'expired', delivery: current };
  const result = await deps.store.recordCallback(deliveryId, incoming);
  if (result.verdict !== 'new') return result;
  // No token yet: AwaitCallback has not stored it; it will see the accepted callback and go on.
  await relayTaskToken(deps.store, deps.engine, deliveryId);
  return result;
}
