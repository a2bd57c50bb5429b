/** The file items of the DynamoDB store: written in batches, paged by index. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { FilePage, FileStatus } from '../../../domain/delivery.js';
import type { FileSpec } from '../../../domain/fileSpec.js';
import { DEFAULT_FILE_PAGE_SIZE, fileCursor, pageLimit, startAfter } from '../../../domain/paging.js';
import type { ListFilesQuery } from '../../../ports/DeliveryStore.js';
import { batchPut } from './batchWrite.js';
import { type FileItem, newFileItem, toFileRecord } from './items.js';
import { inList, type TableContext } from './TableContext.js';
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
  const after = startAfter(query);
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
