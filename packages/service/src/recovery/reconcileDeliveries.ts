/**
 * The reconciler: finds deliveries stuck in a non-terminal status and drives them on or ends them.
 * On AWS nothing else would: a lost SendTaskSuccess leaves a delivery `resolving`, and an execution
 * that ended early (a Task's retries used up, the execution timeout) leaves it where it was.
 */
import type { DeliveryHeader, DeliveryStore } from '../ports/DeliveryStore.js';
import type { WorkflowEngine } from '../ports/WorkflowEngine.js';
import { relayTaskToken, TaskTokenNotSentError } from './relayTaskToken.js';

/** Whether the execution of a delivery (named after its id) is still running. */
export type ExecutionState = 'running' | 'ended';

/** What the reconciler did with one delivery. */
export type ReconcileAction = 'resent' | 'failed' | 'timed_out';

/** A delivery as the store's `get` returns it. */
export type StoredDelivery = NonNullable<Awaited<ReturnType<DeliveryStore['get']>>>;

/** Dependencies of {@link reconcileDeliveries}. */
export interface ReconcileDeps {
  readonly store: DeliveryStore;
  readonly engine: WorkflowEngine;
  /** The state of the delivery's execution; a missing execution counts as ended. */
  readonly executionState: (deliveryId: string) => Promise<ExecutionState>;
  /** Called once for each delivery the reconciler acted on (events, metrics, logs). */
  readonly onAction: (action: ReconcileAction, delivery: StoredDelivery) => Promise<void>;
  readonly now: () => Date;
}

/** Options of {@link reconcileDeliveries}. */
export interface ReconcileOptions {
  /**
   * How long a delivery may stay unchanged before it counts as stuck (and, for one awaiting its
   * callback, how long past its deadline). Longer than any Task takes with its retries.
   */
  readonly stallAfterMs: number;
  /** Most deliveries looked at in one run (the rest wait for the next). */
  readonly maxDeliveries: number;
}

/** What one run did. */
export interface ReconcileReport {
  readonly examined: number;
  readonly actions: readonly { readonly deliveryId: string; readonly action: ReconcileAction }[];
  /** Deliveries whose token could not be sent this time (the engine is unreachable). */
  readonly relayFailures: readonly string[];
}

const PAGE = 200;

/** True when the delivery has not moved for long enough to be looked at. */
function isStale(delivery: DeliveryHeader, now: number, stallAfterMs: number): boolean {
  if (delivery.status === 'awaiting_callback') return Date.parse(delivery.expiresAt) + stallAfterMs <= now;
  return Date.parse(delivery.updatedAt) + stallAfterMs <= now;
}

/**
 * One pass over the deliveries that are not terminal:
 * - `resolving` with a task token still stored (its SendTaskSuccess never went through): the
 *   token is sent again (`resent`);
 * - any stale delivery whose execution has ended: an `awaiting_callback` one ends as
 *   `callback_timed_out` (`timed_out`), a `resolving` / `downloading` one as `failed` with code
 *   `WORKFLOW_ENDED` (`failed`);
 * - a stale delivery whose execution still runs is left alone (a long Batch job).
 * Every change is a conditional transition, so a run racing the workflow changes nothing.
 */
export async function reconcileDeliveries(
  deps: ReconcileDeps,
  options: ReconcileOptions,
): Promise<ReconcileReport> {
  const now = deps.now().getTime();
  const actions: { deliveryId: string; action: ReconcileAction }[] = [];
  const relayFailures: string[] = [];
  let examined = 0;
  let cursor: string | undefined;
  do {
    // listOpen reads only deliveries that are not terminal (a sparse index on DynamoDB), oldest
    // first, so a run's cost follows the open deliveries, not every delivery ever registered.
    const page = await deps.store.listOpen({ limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
    for (const delivery of page.items) {
      if (examined >= options.maxDeliveries) break;
      examined += 1;
      if (!isStale(delivery, now, options.stallAfterMs)) continue;
      try {
        const action = await reconcileOne(deps, delivery);
        if (action === undefined) continue;
        actions.push({ deliveryId: delivery.id, action });
        const after = await deps.store.get(delivery.id);
        if (after !== undefined) await deps.onAction(action, after);
      } catch (error) {
        if (!(error instanceof TaskTokenNotSentError)) throw error;
        relayFailures.push(delivery.id);
      }
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined && examined < options.maxDeliveries);
  return { examined, actions, relayFailures };
}

async function reconcileOne(
  deps: ReconcileDeps,
  delivery: DeliveryHeader,
): Promise<ReconcileAction | undefined> {
  if (delivery.status === 'resolving') {
    const relayed = await relayTaskToken(deps.store, deps.engine, delivery.id);
    if (relayed === 'sent') return 'resent';
  }
  if ((await deps.executionState(delivery.id)) === 'running') return undefined;
  if (delivery.status === 'awaiting_callback') {
    const moved = await deps.store.transition(delivery.id, ['awaiting_callback'], 'callback_timed_out', {
      error: {
        code: 'CALLBACK_TIMED_OUT',
        message: 'No valid callback arrived before the delivery expired.',
      },
    });
    await deps.store.deleteTaskToken(delivery.id);
    return moved ? 'timed_out' : undefined;
  }
  const moved = await deps.store.transition(delivery.id, [delivery.status], 'failed', {
    error: {
      code: 'WORKFLOW_ENDED',
      message:
        `The workflow execution ended while the delivery was ${delivery.status}; ` +
        'see the execution history of this delivery id for the cause.',
    },
  });
  return moved ? 'failed' : undefined;
}
