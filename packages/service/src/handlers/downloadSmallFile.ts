/** DownloadSmall: fetches one file in this process with fetch-stream into the object store. */
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { runFileAttempt } from './runFileAttempt.js';
import type { TaskContext } from './TaskContext.js';

/** Below this declared size one connection is used: splitting costs more requests than it saves. */
const SINGLE_CONNECTION_BELOW = 16 * 1024 * 1024;

/** Connections for a file when the runtime sets none: 4, or 1 for a file declared small. */
function connectionsFor(size: number | undefined): number {
  return size !== undefined && size < SINGLE_CONNECTION_BELOW ? 1 : 4;
}

/** DownloadSmall: same lifecycle as `downloadLargeFile` ({@link runFileAttempt}), bytes fetched here. */
export async function downloadSmallFile(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  return runFileAttempt(ctx, input, 'small', (task, onBytes) =>
    ctx.download(task.file.sourceUrl, {
      sink: ctx.objects.createSink(task.key),
      connections: ctx.connections ?? connectionsFor(task.file.size),
      ...(task.file.expected === undefined ? {} : { checksum: task.file.expected }),
      connectGuard: task.guard,
      signal: ctx.signal,
      retry: { retries: ctx.fetchRetries ?? 2 },
      onProgress: (event) => onBytes(event.bytes),
    }),
  );
}
