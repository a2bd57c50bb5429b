/** MarkFileFailed: a file's retries are spent (or its failure is permanent); record it and go on. */
import type { JsonValue } from '../ports/WorkflowEngine.js';
import type { TaskContext } from './TaskContext.js';
import { caughtError, fileInput } from './taskInput.js';

/** Keeps the error the download stored (its real code); falls back to the caught `{ Error, Cause }`. */
export async function markFileFailed(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  const { deliveryId, index } = fileInput(input);
  const file = await ctx.store.getFile(deliveryId, index);
  if (file === undefined || file.status === 'completed') return { skipped: true };
  const error = file.error ?? caughtError(input);
  await ctx.store.updateFile(deliveryId, index, { status: 'failed', error });
  return { failed: true };
}
