/** The lifecycle every download task shares, whichever way the bytes travel. */
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { classifyFailure } from './classifyFailure.js';
import { adoptFinishedObject, type FileTask, loadFileTask, progressWriter } from './fileTaskState.js';
import { scrubPaths } from './scrubPaths.js';
import type { TaskContext } from './TaskContext.js';
import { fileInput } from './taskInput.js';

/** What a transfer reports for the file record. */
export interface FileTransferResult {
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Idempotent: a completed file is not fetched again (nor is one whose object already landed);
 * otherwise the attempt is recorded, `transfer` moves the bytes, and the outcome lands in the file
 * record — completed with bytes and sha256, or the error's code and message. A failure is rethrown
 * as `Downloader.Transient` or `Downloader.Permanent` for the workflow's Retry/Catch.
 */
export async function runFileAttempt(
  ctx: TaskContext,
  input: JsonValue,
  route: 'small' | 'large',
  transfer: (task: FileTask, onBytes: (bytes: number) => void) => Promise<FileTransferResult>,
): Promise<JsonValue> {
  const { deliveryId, index } = fileInput(input);
  const task = await loadFileTask(ctx, deliveryId, index);
  if (task === undefined || (await adoptFinishedObject(ctx, task))) return { skipped: true };
  await ctx.store.startFileAttempt(deliveryId, index, route);
  try {
    const result = await transfer(task, progressWriter(ctx, task));
    await ctx.store.updateFile(deliveryId, index, {
      status: 'completed',
      bytes: result.bytes,
      // A declared size is never rewritten (the transfer enforced it); an unknown one is learnt.
      ...(task.file.size === undefined ? { size: result.bytes } : {}),
      sha256: result.sha256,
      error: null,
    });
    return { bytes: result.bytes };
  } catch (error) {
    const failure = classifyFailure(error);
    // An aborted task (shutdown) leaves the record as it was: the next start resumes it.
    if (!ctx.signal.aborted) {
      await ctx.store.updateFile(deliveryId, index, {
        error: { code: failure.code, message: scrubPaths(failure.detail, ctx.objects, deliveryId) },
      });
    }
    throw failure;
  }
}
