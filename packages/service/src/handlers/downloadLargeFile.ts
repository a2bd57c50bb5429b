/** DownloadLarge: hands one file to the large-file runner (child process locally, AWS Batch in the cloud). */
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { runFileAttempt } from './runFileAttempt.js';
import type { TaskContext } from './TaskContext.js';

/** Same contract as `downloadSmallFile`, through the {@link LargeFileRunner} port. */
export async function downloadLargeFile(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  return runFileAttempt(ctx, input, 'large', (task, onBytes) =>
    ctx.largeFiles.run({
      deliveryId: task.deliveryId,
      fileIndex: task.file.index,
      url: task.file.sourceUrl,
      target: ctx.objects.targetFor(task.key),
      ...(task.file.expected === undefined ? {} : { expected: task.file.expected }),
      ...(task.file.size === undefined ? {} : { size: task.file.size }),
      urlPolicy: task.urlPolicy,
      signal: ctx.signal,
      onProgress: onBytes,
    }),
  );
}
