/** DownloadLarge: hands one file to the large-file runner (child process locally, AWS Batch in the cloud). */
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { classifyFailure } from './classifyFailure.js';
import { adoptFinishedObject, loadFileTask, progressWriter } from './fileTaskState.js';
import type { TaskContext } from './TaskContext.js';
import { fileInput } from './taskInput.js';

/** Same contract as `downloadSmallFile`, through the {@link LargeFileRunner} port. */
export async function downloadLargeFile(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  const { deliveryId, index } = fileInput(input);
  const task = await loadFileTask(ctx, deliveryId, index);
  if (task === undefined || (await adoptFinishedObject(ctx, task))) return { skipped: true };
  await ctx.store.startFileAttempt(deliveryId, index, 'large');
  try {
    const result = await ctx.largeFiles.run({
      deliveryId,
      fileIndex: index,
      url: task.file.sourceUrl,
      target: ctx.objects.targetFor(task.key),
      ...(task.file.expected === undefined ? {} : { expected: task.file.expected }),
      ...(task.file.size === undefined ? {} : { size: task.file.size }),
      urlPolicy: task.urlPolicy,
      signal: ctx.signal,
      onProgress: progressWriter(ctx, task),
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
