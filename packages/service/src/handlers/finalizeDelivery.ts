/** Finalize: writes `<deliveryId>/_delivery.json` and sets the final status. */
import type { DeliveryStatus, FileRecord } from '../domain/delivery.js';
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { fileObjectKey, reportObjectKey } from './objectKey.js';
import type { TaskContext } from './TaskContext.js';
import { deliveryInput } from './taskInput.js';

/** Format version of `_delivery.json`. */
export const DELIVERY_REPORT_VERSION = 1;

/**
 * `completed` when every file is, `failed` when none is (and at least one failed),
 * `partially_failed` otherwise. Idempotent: run again, it rewrites the same report.
 */
export async function finalizeDelivery(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  const { deliveryId } = deliveryInput(input);
  const delivery = await ctx.store.get(deliveryId);
  if (delivery === undefined) return { status: 'missing' };
  if (delivery.status !== 'downloading') return { status: delivery.status };
  const files: FileRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.store.listFiles(deliveryId, {
      limit: 1000,
      ...(cursor === undefined ? {} : { cursor }),
    });
    files.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  // Decided from the file records themselves, not the counts: they are the report's truth.
  const completed = files.filter((file) => file.status === 'completed').length;
  const status: DeliveryStatus =
    completed === files.length ? 'completed' : completed === 0 ? 'failed' : 'partially_failed';
  const report = {
    version: DELIVERY_REPORT_VERSION,
    deliveryId,
    providerId: delivery.providerId,
    ...(delivery.projectId === undefined ? {} : { projectId: delivery.projectId }),
    ...(delivery.label === undefined ? {} : { label: delivery.label }),
    status,
    createdAt: delivery.createdAt,
    ...(delivery.callback === undefined ? {} : { callbackReceivedAt: delivery.callback.receivedAt }),
    finishedAt: ctx.now().toISOString(),
    files: files.map((file) => ({
      key: fileObjectKey(deliveryId, file.name),
      name: file.name,
      sourceUrl: file.sourceUrl,
      bytes: file.bytes,
      ...(file.sha256 === undefined ? {} : { sha256: file.sha256 }),
      ...(file.expected === undefined ? {} : { expected: file.expected }),
      attempts: file.attempts,
      outcome: file.status === 'completed' ? 'completed' : 'failed',
      ...(file.error === undefined || file.status === 'completed' ? {} : { error: file.error }),
    })),
  };
  await ctx.objects.putObject(
    reportObjectKey(deliveryId),
    `${JSON.stringify(report, null, 2)}\n`,
    'application/json',
  );
  await ctx.store.transition(deliveryId, ['downloading'], status);
  return { status };
}
