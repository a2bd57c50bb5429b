/** DownloadLarge: hands one file to the large-file runner (child process locally, AWS Batch in the cloud). */
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { runFileAttempt } from './runFileAttempt.js';
import type { TaskContext } from './TaskContext.js';
import { transferLargeFile } from './transferLargeFile.js';

/** One attempt of one file ({@link runFileAttempt}) through the {@link LargeFileRunner} port. */
export async function downloadLargeFile(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  return runFileAttempt(ctx, input, 'large', (task, onBytes) =>
    transferLargeFile(ctx, task, ctx.signal, onBytes),
  );
}
