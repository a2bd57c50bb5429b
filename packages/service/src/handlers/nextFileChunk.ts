/** NextFileChunk: the next batch of file indices still to download (indices only, never the list). */
import type { JsonValue } from '../ports/WorkflowEngine.js';
import type { TaskContext } from './TaskContext.js';
import { chunkInput } from './taskInput.js';

/** Returns `{ indices, nextIndex, done }`; finished and failed files are left out. */
export async function nextFileChunk(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  const { deliveryId, fromIndex, limit } = chunkInput(input);
  const indices = await ctx.store.listFileIndices(deliveryId, {
    statuses: ['pending', 'downloading'],
    fromIndex,
    limit,
  });
  const last = indices.at(-1);
  return { indices, nextIndex: last === undefined ? fromIndex : last + 1, done: indices.length < limit };
}
