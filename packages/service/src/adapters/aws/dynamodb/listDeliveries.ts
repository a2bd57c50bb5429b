/** `list` on DynamoDB: the `byCreatedAt` index, newest first, a status filter, opaque cursors. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_DELIVERY_PAGE_SIZE, decodeCursor, encodeCursor, pageLimit } from '../../../domain/paging.js';
import type { DeliveryPage, ListDeliveriesQuery } from '../../../ports/DeliveryStore.js';
import { type DeliveryItem, toDeliveryHeader } from './items.js';
import { inList, type TableContext } from './TableContext.js';
import { deliveryPk, LIST_PARTITION, META, TABLE_SCHEMA } from './tableKeys.js';

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
