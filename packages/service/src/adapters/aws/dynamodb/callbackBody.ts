/**
 * The accepted callback's body, kept apart from the delivery item: gzip-compressed and split into
 * parts below DynamoDB's 400 KB item cap, so an inline list as long as a request can carry fits.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { NormalisedCallback } from '../../../domain/callback.js';
import { ServiceError } from '../../../domain/errors.js';
import { batchPut } from './batchWrite.js';
import { epochSeconds, getItem, RECORD_RETENTION_SECONDS, type TableContext } from './TableContext.js';
import { callbackPartSk, deliveryPk } from './tableKeys.js';

/** Bytes of compressed body per item: room under 400 KB for the keys and attribute names. */
export const CALLBACK_PART_BYTES = 350 * 1024;
/** Compressed bytes a stored body may take at most by default: the request cap of a Lambda answer. */
export const DEFAULT_MAX_CALLBACK_BYTES = 6 * 1024 * 1024;

const dedupeKeyHash = (dedupeKey: string): string => createHash('sha256').update(dedupeKey).digest('hex');

/**
 * Writes the body's parts. Keyed by the dedupe key: written before the receipt that publishes
 * them, they are only ever read through the receipt of the callback that won, so a losing
 * racer's parts are never seen.
 * @returns the number of parts
 * @throws ServiceError `FILE_LIST_TOO_LARGE` when the compressed body exceeds `maxBytes`
 */
export async function putCallbackBody(
  ctx: TableContext,
  id: string,
  dedupeKey: string,
  callback: NormalisedCallback,
  expiresAt: string,
  maxBytes: number,
): Promise<number> {
  const body = gzipSync(JSON.stringify(callback));
  if (body.length > maxBytes) {
    throw new ServiceError(
      'FILE_LIST_TOO_LARGE',
      `The callback's file list takes ${body.length} bytes compressed; at most ${maxBytes} can be stored. ` +
        'Ask the provider for a manifest URL instead of an inline list.',
    );
  }
  const parts = Math.max(1, Math.ceil(body.length / CALLBACK_PART_BYTES));
  const hash = dedupeKeyHash(dedupeKey);
  const ttl = epochSeconds(expiresAt) + RECORD_RETENTION_SECONDS;
  await batchPut(ctx, parts, (part) => ({
    pk: deliveryPk(id),
    sk: callbackPartSk(hash, part),
    body: body.subarray(part * CALLBACK_PART_BYTES, (part + 1) * CALLBACK_PART_BYTES),
    ttl,
  }));
  return parts;
}

/**
 * The stored body of the callback with `dedupeKey`, from its `parts` items; a body stored before
 * bodies had parts (`parts` undefined) is the one item `CB#<hash>`.
 */
export async function getCallbackBody(
  ctx: TableContext,
  id: string,
  dedupeKey: string,
  parts: number | undefined,
): Promise<NormalisedCallback | undefined> {
  const hash = dedupeKeyHash(dedupeKey);
  let chunks: Uint8Array[];
  if (parts === undefined) {
    const item = await getItem<{ body: Uint8Array }>(ctx, deliveryPk(id), `CB#${hash}`);
    if (item === undefined) return undefined;
    chunks = [item.body];
  } else {
    chunks = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await ctx.client.send(
        new QueryCommand({
          TableName: ctx.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
          ExpressionAttributeValues: {
            ':pk': deliveryPk(id),
            ':first': callbackPartSk(hash, 0),
            ':last': callbackPartSk(hash, parts - 1),
          },
          ConsistentRead: true,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of page.Items ?? []) chunks.push(item.body as Uint8Array);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    if (chunks.length !== parts) return undefined;
  }
  return JSON.parse(gunzipSync(Buffer.concat(chunks)).toString('utf8')) as NormalisedCallback;
}
