/** Changes of file items on DynamoDB, each followed by one O(1) update of the delivery item's counts. */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  addDeltas,
  type CountsDelta,
  countedAfter,
  countsDelta,
  deltaEntries,
} from '../../../domain/fileCounts.js';
import { type FilePatch, type FileUpdate, patchChanges, patchOfUpdate } from '../../../domain/filePatch.js';
import { COUNT_ATTRIBUTES, type FileItem } from './items.js';
import { isConditionFailure, type TableContext, updateMetaIfExists } from './TableContext.js';
import { deliveryPk, fileSk } from './tableKeys.js';

/** File updates of one `updateFiles` call in flight at once. */
const UPDATE_CONCURRENCY = 8;

/** Adds `delta` to the delivery item's counts and stamps it: one O(1) update. */
async function applyDelta(ctx: TableContext, id: string, delta: CountsDelta): Promise<void> {
  const entries = deltaEntries(delta);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':now': ctx.stamp() };
  const adds = entries.map(([field, by], n) => {
    names[`#c${n}`] = COUNT_ATTRIBUTES[field];
    values[`:c${n}`] = by;
    return `#c${n} :c${n}`;
  });
  await updateMetaIfExists(ctx, id, {
    expression: `SET updatedAt = :now${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
    ...(adds.length > 0 ? { names } : {}),
    values,
  });
}

/**
 * Updates one file item (adding an attempt when asked) and returns the change to the counts and
 * the new attempt count; undefined when there is no such file. The update returns the item as it
 * was, so concurrent updates of one file each add their own exact change.
 */
async function changeFileItem(
  ctx: TableContext,
  id: string,
  index: number,
  patch: FilePatch,
  addAttempt: boolean,
): Promise<{ readonly delta: CountsDelta; readonly attempts: number } | undefined> {
  const { sets, removes } = patchChanges(patch);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const setParts = sets.map(([field, value]) => {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    return `#${field} = :${field}`;
  });
  const removeParts = removes.map((field) => {
    names[`#${field}`] = field;
    return `#${field}`;
  });
  if (addAttempt) values[':one'] = 1;
  let old: FileItem;
  try {
    const result = await ctx.client.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { pk: deliveryPk(id), sk: fileSk(index) },
        UpdateExpression: [
          setParts.length > 0 ? `SET ${setParts.join(', ')}` : '',
          removeParts.length > 0 ? `REMOVE ${removeParts.join(', ')}` : '',
          addAttempt ? 'ADD attempts :one' : '',
        ]
          .filter((part) => part !== '')
          .join(' '),
        ConditionExpression: 'attribute_exists(pk)',
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        ReturnValues: 'ALL_OLD',
      }),
    );
    old = result.Attributes as FileItem;
  } catch (error) {
    // A missing file changes nothing, in every store.
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
  return {
    delta: countsDelta(old, countedAfter(old, patch)),
    attempts: (old.attempts ?? 0) + (addAttempt ? 1 : 0),
  };
}

const isEmpty = (patch: FilePatch): boolean => {
  const { sets, removes } = patchChanges(patch);
  return sets.length === 0 && removes.length === 0;
};

/**
 * Updates one file item, then the counts by what changed. A crash between the two writes leaves
 * the counts behind by that one change (no transactions: dynalite and cost).
 */
export async function patchFile(
  ctx: TableContext,
  id: string,
  index: number,
  patch: FilePatch,
): Promise<void> {
  if (isEmpty(patch)) return;
  const changed = await changeFileItem(ctx, id, index, patch, false);
  if (changed !== undefined) await applyDelta(ctx, id, changed.delta);
}

/**
 * One more attempt, status `downloading`, the route when given; then the counts.
 * @returns the new attempt count, or undefined when there is no such file
 */
export async function startAttempt(
  ctx: TableContext,
  id: string,
  index: number,
  route: 'small' | 'large' | undefined,
): Promise<number | undefined> {
  const patch = patchOfUpdate({ patch: route === undefined ? {} : { route }, addAttempt: true });
  const changed = await changeFileItem(ctx, id, index, patch, true);
  if (changed === undefined) return undefined;
  await applyDelta(ctx, id, changed.delta);
  return changed.attempts;
}

/**
 * Every update (a few in flight; updates of one file keep their order), then one update of the
 * counts by their sum. BatchWriteItem cannot update items, only replace them.
 */
export async function updateFiles(
  ctx: TableContext,
  id: string,
  updates: readonly FileUpdate[],
): Promise<void> {
  const byFile = new Map<number, FileUpdate[]>();
  for (const update of updates) {
    if (isEmpty(update.patch) && update.addAttempt !== true) continue;
    byFile.set(update.index, [...(byFile.get(update.index) ?? []), update]);
  }
  const queues = [...byFile.values()];
  let delta: CountsDelta = {};
  let changedAny = false;
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let queue = queues[next++]; queue !== undefined; queue = queues[next++]) {
      for (const update of queue) {
        const changed = await changeFileItem(
          ctx,
          id,
          update.index,
          patchOfUpdate(update),
          update.addAttempt === true,
        );
        if (changed === undefined) continue;
        changedAny = true;
        delta = addDeltas(delta, changed.delta);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(UPDATE_CONCURRENCY, queues.length) }, worker));
  if (changedAny) await applyDelta(ctx, id, delta);
}
