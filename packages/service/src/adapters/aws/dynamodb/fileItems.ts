/** The file items of the DynamoDB store: written in batches, paged by index, counted on the delivery item. */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FilePage, FileStatus } from '../../../domain/delivery.js';
import { type CountsDelta, countsDelta, deltaEntries } from '../../../domain/fileCounts.js';
import { type FilePatch, patchChanges } from '../../../domain/filePatch.js';
import type { FileSpec } from '../../../domain/fileSpec.js';
import { afterIndexOf, DEFAULT_FILE_PAGE_SIZE, fileCursor, pageLimit } from '../../../domain/paging.js';
import type { ListFilesQuery } from '../../../ports/DeliveryStore.js';
import { batchPut } from './batchWrite.js';
import { COUNT_ATTRIBUTES, type FileItem, newFileItem, toFileRecord } from './items.js';
import { inList, isConditionFailure, type TableContext, updateMetaIfExists } from './TableContext.js';
import { deliveryPk, fileSk, LAST_FILE_SK } from './tableKeys.js';

/** Query pages a filtered file listing reads at most before it answers (short, with a cursor). */
const MAX_FILTERED_QUERY_PAGES = 4;

/** Writes every file item of a list (idempotent: the same list writes the same items). */
export async function putFiles(ctx: TableContext, id: string, files: readonly FileSpec[]): Promise<void> {
  await batchPut(ctx, files.length, (index) => ({ ...newFileItem(id, index, files[index] as FileSpec) }));
}

function indexOfSk(sk: unknown): number {
  return Number(String(sk).slice(2));
}

/** One page of files in index order; with a status filter, a bounded number of reads. */
export async function listFiles(ctx: TableContext, id: string, query: ListFilesQuery): Promise<FilePage> {
  const limit = pageLimit(query.limit, DEFAULT_FILE_PAGE_SIZE);
  const statuses =
    query.status === undefined ? [] : typeof query.status === 'string' ? [query.status] : query.status;
  const filter = statuses.length > 0 ? inList('s', statuses) : undefined;
  const after = query.cursor === undefined ? -1 : afterIndexOf(query.cursor);
  const found: FileItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  let pages = 0;
  do {
    const page = await ctx.client.send(
      new QueryCommand({
        TableName: ctx.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': deliveryPk(id),
          ':from': fileSk(after + 1),
          ':to': LAST_FILE_SK,
          ...filter?.values,
        },
        ...(filter === undefined
          ? {}
          : {
              FilterExpression: `#status IN ${filter.expression}`,
              ExpressionAttributeNames: { '#status': 'status' },
            }),
        // One more than a page tells whether another follows.
        Limit: limit + 1 - found.length,
        ConsistentRead: true,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    found.push(...((page.Items ?? []) as FileItem[]));
    startKey = page.LastEvaluatedKey;
    pages += 1;
  } while (found.length <= limit && startKey !== undefined && pages < MAX_FILTERED_QUERY_PAGES);
  const items = found.slice(0, limit).map(toFileRecord);
  if (found.length > limit) {
    return { items, nextCursor: fileCursor((items.at(-1) ?? { index: after }).index) };
  }
  // Read budget spent before the page filled: go on after the last file read, not the last returned.
  if (startKey !== undefined) return { items, nextCursor: fileCursor(indexOfSk(startKey.sk)) };
  return { items };
}

/** Indices of files in `statuses` from `fromIndex` on, ascending, at most `limit`. */
export async function listFileIndices(
  ctx: TableContext,
  id: string,
  query: { readonly statuses: readonly FileStatus[]; readonly fromIndex: number; readonly limit: number },
): Promise<number[]> {
  if (query.statuses.length === 0 || query.limit < 1) return [];
  const statuses = inList('s', query.statuses);
  const indices: number[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ctx.client.send(
      new QueryCommand({
        TableName: ctx.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        FilterExpression: `#status IN ${statuses.expression}`,
        ProjectionExpression: '#index',
        ExpressionAttributeNames: { '#status': 'status', '#index': 'index' },
        ExpressionAttributeValues: {
          ':pk': deliveryPk(id),
          ':from': fileSk(Math.max(0, query.fromIndex)),
          ':to': LAST_FILE_SK,
          ...statuses.values,
        },
        ConsistentRead: true,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    for (const item of page.Items ?? []) indices.push(item.index as number);
    startKey = page.LastEvaluatedKey;
  } while (indices.length < query.limit && startKey !== undefined);
  return indices.slice(0, query.limit);
}

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
 * Updates one file item, then the counts by what changed. The file update returns the item as
 * it was, so concurrent updates of one file each add their own exact change. A crash between the
 * two writes leaves the counts behind by that one change (no transactions: dynalite and cost).
 */
export async function patchFile(
  ctx: TableContext,
  id: string,
  index: number,
  patch: FilePatch,
): Promise<void> {
  const { sets, removes } = patchChanges(patch);
  if (sets.length === 0 && removes.length === 0) return;
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
  let old: FileItem;
  try {
    const result = await ctx.client.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { pk: deliveryPk(id), sk: fileSk(index) },
        UpdateExpression: [
          setParts.length > 0 ? `SET ${setParts.join(', ')}` : '',
          removeParts.length > 0 ? `REMOVE ${removeParts.join(', ')}` : '',
        ]
          .filter((part) => part !== '')
          .join(' '),
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        ReturnValues: 'ALL_OLD',
      }),
    );
    old = result.Attributes as FileItem;
  } catch (error) {
    // A missing file changes nothing, in every store.
    if (isConditionFailure(error)) return;
    throw error;
  }
  const size = patch.size ?? old.size;
  await applyDelta(
    ctx,
    id,
    countsDelta(old, {
      status: patch.status ?? old.status,
      bytes: patch.bytes ?? old.bytes,
      ...(size === undefined ? {} : { size }),
    }),
  );
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
  let old: FileItem;
  try {
    const result = await ctx.client.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { pk: deliveryPk(id), sk: fileSk(index) },
        UpdateExpression: `SET #status = :downloading${route === undefined ? '' : ', #route = :route'} ADD attempts :one`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: {
          '#status': 'status',
          ...(route === undefined ? {} : { '#route': 'route' }),
        },
        ExpressionAttributeValues: {
          ':downloading': 'downloading',
          ':one': 1,
          ...(route === undefined ? {} : { ':route': route }),
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    old = result.Attributes as FileItem;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
  await applyDelta(ctx, id, countsDelta(old, { ...old, status: 'downloading' }));
  return (old.attempts ?? 0) + 1;
}
