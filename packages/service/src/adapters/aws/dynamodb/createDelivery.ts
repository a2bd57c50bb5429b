/** `create` on DynamoDB: an idempotency claim, then the file items, then the delivery item that publishes them. */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryCounts, DeliveryHeader } from '../../../domain/delivery.js';
import { countsOfNewFiles } from '../../../domain/fileCounts.js';
import { assertSameRegistration, registrationHash } from '../../../domain/registrationHash.js';
import type { CreateResult, NewDelivery } from '../../../ports/DeliveryStore.js';
import { putFiles } from './fileItems.js';
import { COUNT_ATTRIBUTES, type DeliveryItem, toDeliveryHeader } from './items.js';
import {
  epochSeconds,
  getItem,
  isConditionFailure,
  RECORD_RETENTION_SECONDS,
  type TableContext,
} from './TableContext.js';
import {
  deliveryPk,
  IDEMPOTENCY_SK,
  idempotencyPk,
  LIST_PARTITION,
  listSk,
  META,
  OPEN_PARTITION,
} from './tableKeys.js';

async function getHeader(ctx: TableContext, id: string): Promise<DeliveryHeader | undefined> {
  const item = await getItem<DeliveryItem>(ctx, deliveryPk(id), META);
  return item === undefined ? undefined : toDeliveryHeader(item);
}

/** The count attributes of a new list. */
export function countAttributes(counts: DeliveryCounts): Record<string, number> {
  return Object.fromEntries(
    (Object.keys(COUNT_ATTRIBUTES) as (keyof DeliveryCounts)[]).map((field) => [
      COUNT_ATTRIBUTES[field],
      counts[field],
    ]),
  );
}

/**
 * Claims the idempotency key first (a conditional put): a replay finds the claim and answers
 * with the delivery it names; a first request that stopped after claiming is finished under the
 * claimed id. File items are written before the delivery item, which publishes them.
 */
export async function createDelivery(ctx: TableContext, input: NewDelivery): Promise<CreateResult> {
  const hash = registrationHash(input);
  let id = input.id;
  const ttl = epochSeconds(input.expiresAt) + RECORD_RETENTION_SECONDS;
  if (input.idempotencyKey !== undefined) {
    try {
      await ctx.client.send(
        new PutCommand({
          TableName: ctx.table,
          Item: {
            pk: idempotencyPk(input.idempotencyKey),
            sk: IDEMPOTENCY_SK,
            deliveryId: id,
            requestHash: hash,
            ttl,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const claim = await getItem<{ deliveryId: string; requestHash: string }>(
        ctx,
        idempotencyPk(input.idempotencyKey),
        IDEMPOTENCY_SK,
      );
      if (claim === undefined) throw error;
      assertSameRegistration(input.idempotencyKey, claim.requestHash, hash);
      const earlier = await getHeader(ctx, claim.deliveryId);
      if (earlier !== undefined) return { delivery: earlier, created: false };
      id = claim.deliveryId;
    }
  }
  const existing = await getItem<DeliveryItem>(ctx, deliveryPk(id), META);
  if (existing !== undefined) {
    assertSameRegistration(input.idempotencyKey, existing.requestHash, hash);
    return { delivery: toDeliveryHeader(existing), created: false };
  }
  const files = input.files ?? [];
  if (files.length > 0) await putFiles(ctx, id, files);
  const item: DeliveryItem = {
    pk: deliveryPk(id),
    sk: META,
    gsi1pk: LIST_PARTITION,
    gsi1sk: listSk(input.createdAt, id),
    openPk: OPEN_PARTITION,
    id,
    providerId: input.providerId,
    ...(input.projectId === undefined ? {} : { projectId: input.projectId }),
    ...(input.label === undefined ? {} : { label: input.label }),
    status: 'awaiting_callback',
    createdAt: input.createdAt,
    expiresAt: input.expiresAt,
    updatedAt: input.createdAt,
    requestHash: hash,
    ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
    ...(files.length > 0 ? countAttributes(countsOfNewFiles(files)) : {}),
  };
  try {
    await ctx.client.send(
      new PutCommand({ TableName: ctx.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const raced = await getHeader(ctx, id);
    if (raced === undefined) throw error;
    return { delivery: raced, created: false };
  }
  return { delivery: toDeliveryHeader(item), created: true };
}
