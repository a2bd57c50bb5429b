/** DownloadSmall: fetches one file in this process with fetch-stream into the object store. */
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { classifyFailure } from './classifyFailure.js';
import { adoptFinishedObject, loadFileTask, progressWriter } from './fileTaskState.js';
import type { TaskContext } from './TaskContext.js';
import { fileInput } from './taskInput.js';

/** Below this declared size one connection is used: splitting costs more requests than it saves. */
const SINGLE_CONNECTION_BELOW = 16 * 1024 * 1024;

/** Connections for a file when the runtime sets none: 4, or 1 for a file declared small. */
function connectionsFor(size: number | undefined): number {
  return size !== undefined && size < SINGLE_CONNECTION_BELOW ? 1 : 4;
}

/**
 * Idempotent: a completed file is not fetched again; a partial one resumes from the sink's
 * journal. On failure the file record keeps the error (code + message) and the task throws
 * `Downloader.Transient` or `Downloader.Permanent` for the workflow's Retry/Catch.
 */
export async function downloadSmallFile(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  const { deliveryId, index } = fileInput(input);
  const task = await loadFileTask(ctx, deliveryId, index);
  if (task === undefined || (await adoptFinishedObject(ctx, task))) return { skipped: true };
  await ctx.store.startFileAttempt(deliveryId, index, 'small');
  const onBytes = progressWriter(ctx, task);
  try {
    const result = await ctx.download(task.file.sourceUrl, {
      sink: ctx.objects.createSink(task.key),
      connections: ctx.connections ?? connectionsFor(task.file.size),
      ...(task.file.expected === undefined ? {} : { checksum: task.file.expected }),
      connectGuard: task.guard,
      signal: ctx.signal,
      retry: { retries: ctx.fetchRetries ?? 2 },
      onProgress: (event) => onBytes(event.bytes),
    });
    await ctx.store.updateFile(deliveryId, index, {
      status: 'completed',
      bytes: result.bytes,
      size: result.bytes,
      sha256: result.sha256,
      error: null,
    });
    return { bytes: result.bytes };
  } catch (error) {
    const failure = classifyFailure(error);
    if (!ctx.signal.aborted) {
      await ctx.store.updateFile(deliveryId, index, {
        error: { code: failure.code, message: failure.detail },
      });
    }
    throw failure;
  }
}
