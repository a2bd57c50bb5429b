/** ProbeFile: decides the download path of one file from its size. */
import { requestHeadersFor } from '@downloader/callback-core';
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { classifyFailure } from './classifyFailure.js';
import { adoptFinishedObject, loadFileTask } from './fileTaskState.js';
import { probeSize } from './probeSize.js';
import type { TaskContext } from './TaskContext.js';
import { fileInput } from './taskInput.js';

/**
 * Returns `{ done, sizeKnown, size }`. `done` for a file already complete (never fetched
 * again). The declared size is used when the list had one; otherwise the origin is asked.
 */
export async function probeFile(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  const { deliveryId, index } = fileInput(input);
  const task = await loadFileTask(ctx, deliveryId, index);
  if (task === undefined || task.file.status === 'failed') return { done: true, sizeKnown: false, size: 0 };
  if (await adoptFinishedObject(ctx, task)) return { done: true, sizeKnown: true, size: task.file.size ?? 0 };
  if (task.file.size !== undefined) return { done: false, sizeKnown: true, size: task.file.size };
  let size: number | undefined;
  try {
    size = await probeSize(
      task.file.sourceUrl,
      task.guard,
      ctx.signal,
      requestHeadersFor(task.file.sourceUrl, task.requestAuth),
    );
  } catch (error) {
    const failure = classifyFailure(error);
    // A refused address is final; any other probe failure only costs knowing the size (the
    // large-file path then fetches it with its own retries).
    if (failure.code === 'BLOCKED_URL') throw failure;
    size = undefined;
  }
  if (size !== undefined) await ctx.store.updateFile(deliveryId, index, { size });
  return { done: false, sizeKnown: size !== undefined, size: size ?? 0 };
}
