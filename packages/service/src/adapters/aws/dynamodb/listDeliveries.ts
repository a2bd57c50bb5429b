/** `list` on DynamoDB: the `byCreatedAt` index, newest first, a status filter, opaque cursors. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isTerminalStatus } from '../../../domain/delivery.js';
import { DEFAULT_DELIVERY_PAGE_SIZE, decodeCursor, encodeCursor, pageLimit } from '../../../domain/paging.js';
import type { DeliveryPage, ListDeliveriesQuery, ListOpenQuery } from '../../../ports/DeliveryStore.js';
import { type DeliveryItem, toDeliveryHeader } from './items.js';
import { getItem, inList, type TableContext } from './TableContext.js';
import { deliveryPk, LIST_PARTITION, META, OPEN_PARTITION, TABLE_SCHEMA } from './tableKeys.js';

/** A page of delivery items (all attributes are projected into the index: no second read). */
export async function listDeliveries(ctx: TableContext, query: ListDeliveriesQuery): Promise<DeliveryPage> {
  const limit = pageLimit(query.limit, DEFAULT_DELIVERY_PAGE_SIZE);
  const statuses =
    query.status === undefined ? [] : typeof query.status === 'string' ? [query.status] : [...query.status];
  const filter = statuses.length > 0 ? inList('s', statuses) : undefined;
  const after =
    query.cursor === undefined ? undefined : decodeCursor(query.cursor, ['string', 'string'] as const);
  const found: DeliveryItem[] = [];
  let startKey: Record<string, unknown> | undefined =
    after === undefined
      ? undefined
      : { pk: deliveryPk(after[1]), sk: META, gsi1pk: LIST_PARTITION, gsi1sk: after[0] };
  do {
    const page = await ctx.client.send(
      new QueryCommand({
        TableName: ctx.table,
        IndexName: TABLE_SCHEMA.listIndex,
        KeyConditionExpression: 'gsi1pk = :list',
        ScanIndexForward: false,
        ...(filter === undefined
          ? { ExpressionAttributeValues: { ':list': LIST_PARTITION } }
          : {
              FilterExpression: `#status IN ${filter.expression}`,
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':list': LIST_PARTITION, ...filter.values },
            }),
        Limit: limit + 1,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    found.push(...((page.Items ?? []) as DeliveryItem[]));
    startKey = page.LastEvaluatedKey;
  } while (found.length <= limit && startKey !== undefined);
  const items = found.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(toDeliveryHeader),
    ...(found.length > limit && last !== undefined
      ? { nextCursor: encodeCursor([last.gsi1sk, last.id]) }
      : {}),
  };
}

/** Point reads of a page's delivery items at once. */
const READ_CONCURRENCY = 16;

/**
 * A page of open deliveries, oldest first: the sparse keys-only `openByCreatedAt` index gives the
 * keys, then each delivery item is read (strongly consistent). A delivery that became terminal
 * between the two reads is left out, so a page may be short and still carry a cursor.
 */
export async function listOpenDeliveries(ctx: TableContext, query: ListOpenQuery): Promise<DeliveryPage> {
  const limit = pageLimit(query.limit, DEFAULT_DELIVERY_PAGE_SIZE);
  const after =
    query.cursor === undefined ? undefined : decodeCursor(query.cursor, ['string', 'string'] as const);
  const page = await ctx.client.send(
    new QueryCommand({
      TableName: ctx.table,
      IndexName: TABLE_SCHEMA.openIndex,
      KeyConditionExpression: 'openPk = :open',
      ExpressionAttributeValues: { ':open': OPEN_PARTITION },
      ScanIndexForward: true,
      // One more than a page tells whether another follows.
      Limit: limit + 1,
      ...(after === undefined
        ? {}
        : {
            ExclusiveStartKey: {
              pk: deliveryPk(after[1]),
              sk: META,
              openPk: OPEN_PARTITION,
              gsi1sk: after[0],
            },
          }),
    }),
  );
  const keys = (page.Items ?? []) as { pk: string; gsi1sk: string }[];
  const shown = keys.slice(0, limit);
  const items: (DeliveryItem | undefined)[] = new Array(shown.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < shown.length; i = next++) {
      const key = shown[i];
      if (key !== undefined) items[i] = await getItem<DeliveryItem>(ctx, key.pk, META);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, shown.length) }, worker));
  const last = shown.at(-1);
  return {
    items: items
      .filter((item): item is DeliveryItem => item !== undefined && !isTerminalStatus(item.status))
      .map(toDeliveryHeader),
    ...(keys.length > limit && last !== undefined
      ? { nextCursor: encodeCursor([last.gsi1sk, last.pk.slice('D#'.length)]) }
      : {}),
  };
}
