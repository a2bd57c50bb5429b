/** `recordCallback` on DynamoDB: judged by the shared rule, then body, receipt and dedupe record, in that order. */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { judgeCallback, receiptOf } from '../../../domain/callbackVerdict.js';
import type { IncomingCallback, RecordCallbackResult } from '../../../ports/DeliveryStore.js';
import { putCallbackBody } from './callbackBody.js';
import { type DeliveryItem, toDeliveryHeader } from './items.js';
import {
  epochSeconds,
  getItem,
  isConditionFailure,
  RECORD_RETENTION_SECONDS,
  type TableContext,
} from './TableContext.js';
import { DEDUPE_SK, dedupePk, deliveryPk, META } from './tableKeys.js';

async function putDedupe(ctx: TableContext, id: string, key: string, bodySha256: string, expiresAt: string) {
  await ctx.client.send(
    new PutCommand({
      TableName: ctx.table,
      Item: {
        pk: dedupePk(key),
        sk: DEDUPE_SK,
        bodySha256,
        deliveryId: id,
        ttl: epochSeconds(expiresAt) + RECORD_RETENTION_SECONDS,
      },
    }),
  );
}

/**
 * Without transactions, the writes are ordered so that a crash between two leaves a state the next
 * call repairs: the body parts first (unseen until a receipt names them), then the receipt on the
 * delivery item in one conditional update (the atomic step: only one callback can win), then the
 * dedupe record (rewritten from the receipt when a crash lost it).
 */
export async function recordCallback(
  ctx: TableContext,
  id: string,
  incoming: IncomingCallback,
  maxCallbackBytes: number,
): Promise<RecordCallbackResult> {
  const item = await getItem<DeliveryItem>(ctx, deliveryPk(id), META);
  if (item === undefined) return { verdict: 'not_found' };
  const delivery = toDeliveryHeader(item);
  const stored = await getItem<{ bodySha256: string }>(ctx, dedupePk(incoming.dedupeKey), DEDUPE_SK);
  const verdict = judgeCallback({ delivery, stored, incoming });
  if (stored === undefined && delivery.callback?.dedupeKey === incoming.dedupeKey) {
    // Recorded on the delivery but the dedupe record was not written yet (a crash in between).
    await putDedupe(ctx, id, incoming.dedupeKey, delivery.callback.bodySha256, delivery.expiresAt);
  }
  if (verdict !== 'new') return { verdict: verdict === 'expired' ? 'closed' : verdict, delivery };
  const receipt = receiptOf(incoming);
  const parts = await putCallbackBody(
    ctx,
    id,
    incoming.dedupeKey,
    incoming.callback,
    delivery.expiresAt,
    maxCallbackBytes,
  );
  let updated: DeliveryItem;
  try {
    const result = await ctx.client.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { pk: deliveryPk(id), sk: META },
        UpdateExpression:
          'SET #status = :resolving, updatedAt = :now, #callback = :receipt, callbackParts = :parts',
        ConditionExpression: '#status = :awaiting AND attribute_not_exists(#callback)',
        ExpressionAttributeNames: { '#status': 'status', '#callback': 'callback' },
        ExpressionAttributeValues: {
          ':resolving': 'resolving',
          ':awaiting': 'awaiting_callback',
          ':now': ctx.stamp(),
          ':receipt': receipt,
          ':parts': parts,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    updated = result.Attributes as DeliveryItem;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // Another callback won the race (or the delivery moved on): judge again against the winner.
    return recordCallback(ctx, id, incoming, maxCallbackBytes);
  }
  await putDedupe(ctx, id, receipt.dedupeKey, receipt.bodySha256, delivery.expiresAt);
  return { verdict: 'new', delivery: toDeliveryHeader(updated) };
}
