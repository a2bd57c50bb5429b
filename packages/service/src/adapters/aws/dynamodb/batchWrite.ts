/** BatchWriteItem in groups of 25, a few groups at a time, with bounded retries of unprocessed items. */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ServiceError } from '../../../domain/errors.js';
import type { TableContext } from './TableContext.js';

/** DynamoDB's BatchWriteItem limit. */
export const BATCH_WRITE_MAX = 25;

/** Options of {@link batchPut}. */
export interface BatchPutOptions {
  /** Rounds per group: the first send and its retries of unprocessed items. @default 8 */
  readonly maxRounds?: number;
  /** Groups in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Delay before retry round r (1-based). @default 50 ms · 2^r, at most 1 s */
  readonly backoffMs?: (round: number) => number;
}

const defaultBackoff = (round: number): number => Math.min(1000, 50 * 2 ** round);

async function putGroup(
  ctx: TableContext,
  items: readonly Record<string, unknown>[],
  options: BatchPutOptions,
): Promise<void> {
  const maxRounds = options.maxRounds ?? 8;
  const backoff = options.backoffMs ?? defaultBackoff;
  let requests: { PutRequest: { Item: Record<string, unknown> } }[] = items.map((Item) => ({
    PutRequest: { Item },
  }));
  for (let round = 0; requests.length > 0; round += 1) {
    if (round >= maxRounds) {
      throw new ServiceError(
        'STORE_WRITE_INCOMPLETE',
        `DynamoDB left ${requests.length} of ${items.length} items unwritten after ${maxRounds} rounds; ` +
          'the table is throttled: retry later or raise its capacity.',
      );
    }
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, backoff(round)));
    const result = await ctx.client.send(new BatchWriteCommand({ RequestItems: { [ctx.table]: requests } }));
    // Under throttling BatchWriteItem may leave some items unprocessed: only those are sent again.
    requests = (result.UnprocessedItems?.[ctx.table] ?? []) as typeof requests;
  }
}

/**
 * Puts items `0..count-1` made by `itemAt` (in groups of {@link BATCH_WRITE_MAX}, `concurrency`
 * groups in flight; each item is made when its group is sent, so a long list is never held twice).
 * @throws ServiceError `STORE_WRITE_INCOMPLETE` when a group still has unprocessed items after
 *   `maxRounds` rounds (items already written stay: callers write idempotently)
 */
export async function batchPut(
  ctx: TableContext,
  count: number,
  itemAt: (index: number) => Record<string, unknown>,
  options: BatchPutOptions = {},
): Promise<void> {
  const groups = Math.ceil(count / BATCH_WRITE_MAX);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let group = next++; group < groups; group = next++) {
      const start = group * BATCH_WRITE_MAX;
      const items = Array.from({ length: Math.min(BATCH_WRITE_MAX, count - start) }, (_, offset) =>
        itemAt(start + offset),
      );
      await putGroup(ctx, items, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, groups) }, worker));
}
