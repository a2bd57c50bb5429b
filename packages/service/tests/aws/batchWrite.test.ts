/**
 * BatchWriteItem retries of unprocessed items, bounded: against dynalite, behind a client that
 * withholds part of each batch (as a throttled table answers with UnprocessedItems).
 */
import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchPut } from '../../src/adapters/aws/dynamodb/batchWrite.js';
import type { TableContext } from '../../src/adapters/aws/dynamodb/TableContext.js';
import { type DynaliteHandle, startDynalite } from './helpers/startDynalite.js';

let dynamo: DynaliteHandle;

beforeAll(async () => {
  dynamo = await startDynalite();
  await dynamo.createTable('batch');
});
afterAll(async () => {
  await dynamo.close();
});

type PutRequest = { PutRequest: { Item: Record<string, unknown> } };

/**
 * Forwards every command to dynalite, except that a BatchWrite sends only its first `keep`
 * requests while `throttledRounds` lasts and reports the rest as unprocessed.
 */
function throttlingClient(state: { throttledRounds: number; keep: number; batchCalls: number }) {
  const real = dynamo.client;
  return {
    async send(command: unknown) {
      if (command instanceof BatchWriteCommand) {
        state.batchCalls += 1;
        const requests = (command.input.RequestItems?.batch ?? []) as PutRequest[];
        if (state.throttledRounds > 0) {
          state.throttledRounds -= 1;
          const sent = requests.slice(0, state.keep);
          if (sent.length > 0) await real.send(new BatchWriteCommand({ RequestItems: { batch: sent } }));
          return { UnprocessedItems: { batch: requests.slice(state.keep) } };
        }
      }
      return real.send(command as BatchWriteCommand);
    },
  } as unknown as DynamoDBDocumentClient;
}

const context = (client: DynamoDBDocumentClient): TableContext => ({
  client,
  table: 'batch',
  stamp: () => new Date().toISOString(),
});

const item = (prefix: string) => (index: number) => ({ pk: `${prefix}#${index}`, sk: 'x', n: index });

describe('batchPut', () => {
  it('sends groups of 25 and resends only the unprocessed items until all are written', async () => {
    const state = { throttledRounds: 3, keep: 5, batchCalls: 0 };
    await batchPut(context(throttlingClient(state)), 30, item('a'), { concurrency: 1, backoffMs: () => 1 });
    // Group 1 (25): 3 throttled rounds (5 written each) then the last 10; group 2 (5): one call.
    expect(state.batchCalls).toBe(5);
    for (const index of [0, 7, 24, 29]) {
      const found = await dynamo.client.send(
        new GetCommand({ TableName: 'batch', Key: { pk: `a#${index}`, sk: 'x' } }),
      );
      expect(found.Item).toMatchObject({ n: index });
    }
  });

  it('gives up after maxRounds with STORE_WRITE_INCOMPLETE, keeping what was written', async () => {
    const state = { throttledRounds: 100, keep: 1, batchCalls: 0 };
    const writing = batchPut(context(throttlingClient(state)), 25, item('b'), {
      maxRounds: 4,
      backoffMs: () => 1,
    });
    await expect(writing).rejects.toMatchObject({
      code: 'STORE_WRITE_INCOMPLETE',
      message: expect.stringContaining('21 of 25 items unwritten after 4 rounds'),
    });
    expect(state.batchCalls).toBe(4);
    const get = (index: number) =>
      dynamo.client.send(new GetCommand({ TableName: 'batch', Key: { pk: `b#${index}`, sk: 'x' } }));
    expect((await get(3)).Item).toMatchObject({ n: 3 });
    expect((await get(4)).Item).toBeUndefined();
  });
});
