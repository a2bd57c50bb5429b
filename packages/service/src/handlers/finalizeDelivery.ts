/** Finalize: writes `<deliveryId>/_delivery.json` and sets the final status. */
import type { DeliveryStatus } from '../domain/delivery.js';
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { reportObjectKey } from './objectKey.js';
import { reportChunks } from './report/reportChunks.js';
import type { TaskContext } from './TaskContext.js';
import { deliveryInput } from './taskInput.js';

/** Format version of `_delivery.json`. */
export const DELIVERY_REPORT_VERSION = 1;

/**
 * `completed` when every file is, `failed` when none is (and at least one failed),
 * `partially_failed` otherwise. The report is written from pages of file records as they are
 * read, so memory stays flat whatever the file count. The status comes from the delivery's
 * counts; the records themselves are the report's truth, so a report whose records disagree with
 * the counts is not written (see `reportChunks`) and the task fails to be retried. Idempotent:
 * run again, it rewrites the same report.
 */
export async function finalizeDelivery(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  const { deliveryId } = deliveryInput(input);
  const delivery = await ctx.store.get(deliveryId);
  if (delivery === undefined) return { status: 'missing' };
  if (delivery.status !== 'downloading') return { status: delivery.status };
  const { files, completed } = delivery.counts;
  const status: DeliveryStatus =
    completed === files ? 'completed' : completed === 0 ? 'failed' : 'partially_failed';
  const header = {
    version: DELIVERY_REPORT_VERSION,
    deliveryId,
    providerId: delivery.providerId,
    ...(delivery.projectId === undefined ? {} : { projectId: delivery.projectId }),
    ...(delivery.label === undefined ? {} : { label: delivery.label }),
    status,
    createdAt: delivery.createdAt,
    ...(delivery.callback === undefined ? {} : { callbackReceivedAt: delivery.callback.receivedAt }),
    finishedAt: ctx.now().toISOString(),
  };
  await ctx.objects.writeObject(
    reportObjectKey(deliveryId),
    reportChunks(header, ctx.store, deliveryId, { files, completed }),
    'application/json',
  );
  await ctx.store.transition(deliveryId, ['downloading'], status);
  return { status };
}
