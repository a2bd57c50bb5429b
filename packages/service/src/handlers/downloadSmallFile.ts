/** DownloadSmall: fetches one file in this process with fetch-stream into the object store. */
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { runFileAttempt } from './runFileAttempt.js';
import { LOW_SPEED_WINDOW_MS, type TaskContext } from './TaskContext.js';

/** Below this declared size one connection is used: splitting costs more requests than it saves. */
const SINGLE_CONNECTION_BELOW = 16 * 1024 * 1024;

/** Connections for a file when the runtime sets none: 4, or 1 for a file declared small. */
function connectionsFor(size: number | undefined): number {
  return size !== undefined && size < SINGLE_CONNECTION_BELOW ? 1 : 4;
}

/**
 * DownloadSmall: same lifecycle as `downloadLargeFile` ({@link runFileAttempt}); the bytes are
 * fetched in this process, by the context's small-file runner when the object is a local file,
 * else by fetch-stream on this thread.
 */
export async function downloadSmallFile(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  return runFileAttempt(ctx, input, 'small', (task, onBytes) => {
    const connections = ctx.connections ?? connectionsFor(task.file.size);
    const retries = ctx.fetchRetries ?? 2;
    const target = ctx.objects.targetFor(task.key);
    const minRate = ctx.minBytesPerSecond ?? 0;
    const lowSpeed = minRate > 0 ? { bytesPerSecond: minRate, windowMs: LOW_SPEED_WINDOW_MS } : undefined;
    if (ctx.smallFiles !== undefined && target.kind === 'file') {
      return ctx.smallFiles.run({
        url: task.file.sourceUrl,
        path: target.path,
        connections,
        ...(task.file.expected === undefined ? {} : { expected: task.file.expected }),
        ...(task.file.size === undefined ? {} : { expectedSize: task.file.size }),
        maxBytes: task.maxFileBytes,
        ...(lowSpeed === undefined ? {} : { lowSpeed }),
        urlPolicy: task.urlPolicy,
        retries,
        signal: ctx.signal,
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
        : {
            timeouts: { lowSpeedBytesPerSecond: lowSpeed.bytesPerSecond, lowSpeedWindow: lowSpeed.windowMs },
          }),
      connectGuard: task.guard,
      signal: ctx.signal,
      retry: { retries },
      onProgress: (event) => onBytes(event.bytes),
    });
  });
}
