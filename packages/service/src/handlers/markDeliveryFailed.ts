/** MarkDeliveryFailed: a failure of the delivery as a whole (file list unusable, unexpected error). */
import { DELIVERY_STATUSES, TERMINAL_STATUSES } from '../domain/delivery.js';
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { reportObjectKey } from './objectKey.js';
import type { TaskContext } from './TaskContext.js';
import { caughtError, deliveryInput } from './taskInput.js';

/** Sets `failed` with the caught error and writes a report saying why. */
export async function markDeliveryFailed(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  const { deliveryId } = deliveryInput(input);
  const error = caughtError(input);
  const open = DELIVERY_STATUSES.filter((status) => !TERMINAL_STATUSES.includes(status));
  const moved = await ctx.store.transition(deliveryId, open, 'failed', { error });
  if (moved) {
    const report = {
      version: 1,
      deliveryId,
      status: 'failed',
      error,
      finishedAt: ctx.now().toISOString(),
      files: [],
    };
    await ctx.objects.putObject(
      reportObjectKey(deliveryId),
      `${JSON.stringify(report, null, 2)}\n`,
      'application/json',
    );
  }
  return { status: 'failed' };
}
