/** Moves the bytes of one small file in this process: on a download thread when the object is a local file. */
import { requestHeadersFor } from '@downloader/callback-core';
import type { FileTask } from './fileTaskState.js';
import type { FileTransferResult } from './runFileAttempt.js';
import { LOW_SPEED_WINDOW_MS, type TaskContext } from './TaskContext.js';

/** Below this declared size one connection is used: splitting costs more requests than it saves. */
const SINGLE_CONNECTION_BELOW = 16 * 1024 * 1024;

/** Connections for a file when the runtime sets none: 4, or 1 for a file declared small. */
function connectionsFor(size: number | undefined): number {
  return size !== undefined && size < SINGLE_CONNECTION_BELOW ? 1 : 4;
}

/**
 * Fetches one file through the context's small-file runner when its object is a local file,
 * else with fetch-stream on this thread into the object store's sink. `signal` is this file's
 * own (see `runSlidingWindow`).
 */
export function transferSmallFile(
  ctx: TaskContext,
  task: FileTask,
  signal: AbortSignal,
  onBytes: (bytes: number) => void,
): Promise<FileTransferResult> {
  const connections = ctx.connections ?? connectionsFor(task.file.size);
  const retries = ctx.fetchRetries ?? 2;
  const target = ctx.objects.targetFor(task.key);
  const minRate = ctx.minBytesPerSecond ?? 0;
  const lowSpeed = minRate > 0 ? { bytesPerSecond: minRate, windowMs: LOW_SPEED_WINDOW_MS } : undefined;
  const credentialHeaders = requestHeadersFor(task.file.sourceUrl, task.requestAuth);
  if (ctx.smallFiles !== undefined && target.kind === 'file') {
    return ctx.smallFiles.run({
      url: task.file.sourceUrl,
      path: target.path,
      connections,
      ...(task.file.size === undefined ? {} : { expectedSize: task.file.size }),
      ...(task.file.expected === undefined ? {} : { expected: task.file.expected }),
      maxBytes: task.maxFileBytes,
      ...(lowSpeed === undefined ? {} : { lowSpeed }),
      urlPolicy: task.urlPolicy,
      credentialHeaders,
      retries,
      signal,
      onProgress: onBytes,
    });
  }
  return ctx.download(task.file.sourceUrl, {
    sink: ctx.objects.createSink(task.key),
    connections,
    ...(task.file.expected === undefined ? {} : { checksum: task.file.expected }),
    // A declared size is a contract, not a hint: more (or fewer) bytes fail the file.
    ...(task.file.size === undefined ? {} : { expectedSize: task.file.size }),
    maxBytes: task.maxFileBytes,
    ...(lowSpeed === undefined
      ? {}
      : { timeouts: { lowSpeedBytesPerSecond: lowSpeed.bytesPerSecond, lowSpeedWindow: lowSpeed.windowMs } }),
    credentialHeaders,
    connectGuard: task.guard,
    signal,
    retry: { retries },
    onProgress: (event) => onBytes(event.bytes),
  });
}
