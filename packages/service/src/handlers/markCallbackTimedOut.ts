/** MarkCallbackTimedOut: the provider never called before the deadline. */
import type { JsonValue } from '../ports/WorkflowEngine.js';
import type { TaskContext } from './TaskContext.js';
import { deliveryInput } from './taskInput.js';

/**
 * Ends the delivery as `callback_timed_out` unless a callback was accepted at the last moment
 * (then the status is left as is and the runtime drives the delivery on from it).
 */
export async function markCallbackTimedOut(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  const { deliveryId } = deliveryInput(input);
  const moved = await ctx.store.transition(deliveryId, ['awaiting_callback'], 'callback_timed_out', {
    error: { code: 'CALLBACK_TIMED_OUT', message: 'No valid callback arrived before the delivery expired.' },
  });
  await ctx.store.deleteTaskToken(deliveryId);
  const delivery = await ctx.store.get(deliveryId);
  return { status: moved ? 'callback_timed_out' : (delivery?.status ?? 'missing') };
}
