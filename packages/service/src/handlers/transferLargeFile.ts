/** Moves the bytes of one file through the large-file runner (a child process locally, AWS Batch in the cloud). */
import { requestHeadersFor } from '@downloader/callback-core';
import type { FileTask } from './fileTaskState.js';
import type { FileTransferResult } from './runFileAttempt.js';
import type { TaskContext } from './TaskContext.js';

/** Runs the context's {@link LargeFileRunner} for one file; `signal` is this file's own. */
export function transferLargeFile(
  ctx: TaskContext,
  task: FileTask,
  signal: AbortSignal,
  onBytes: (bytes: number) => void,
): Promise<FileTransferResult> {
  return ctx.largeFiles.run({
    deliveryId: task.deliveryId,
    fileIndex: task.file.index,
    url: task.file.sourceUrl,
    target: ctx.objects.targetFor(task.key),
    ...(task.file.expected === undefined ? {} : { expected: task.file.expected }),
    ...(task.file.size === undefined ? {} : { size: task.file.size }),
    maxBytes: task.maxFileBytes,
    urlPolicy: task.urlPolicy,
    credentialHeaders: requestHeadersFor(task.file.sourceUrl, task.requestAuth),
    signal,
    onProgress: onBytes,
  });
}
