/**
 * NextFileChunk: plans the next round of batches, each an index range of at most `batchSize`
 * files starting at a file still to download. Only ranges travel in state, never file lists.
 */
import type { JsonValue } from '../ports/WorkflowEngine.js';
import type { TaskContext } from './TaskContext.js';
import { chunkInput } from './taskInput.js';

const OPEN_STATUSES = ['pending', 'downloading'] as const;

/**
 * Returns `{ batches: [{ fromIndex, toIndex }], nextIndex, done }`. A range starts at the first
 * open file at or after the previous range's end, so finished stretches cost no batch; files
 * inside a range that finished already are skipped by the batch itself.
 */
export async function nextFileChunk(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  const { deliveryId, fromIndex, batchSize, maxBatches } = chunkInput(input);
  const batches: { fromIndex: number; toIndex: number }[] = [];
  let nextIndex = fromIndex;
  while (batches.length < maxBatches) {
    const [first] = await ctx.store.listFileIndices(deliveryId, {
      statuses: OPEN_STATUSES,
      fromIndex: nextIndex,
      limit: 1,
    });
    if (first === undefined) return { batches, nextIndex, done: true };
    const toIndex = Math.min(Number.MAX_SAFE_INTEGER, first + batchSize);
    batches.push({ fromIndex: first, toIndex });
    nextIndex = toIndex;
  }
  const [more] = await ctx.store.listFileIndices(deliveryId, {
    statuses: OPEN_STATUSES,
    fromIndex: nextIndex,
    limit: 1,
  });
  return { batches, nextIndex, done: more === undefined };
}
