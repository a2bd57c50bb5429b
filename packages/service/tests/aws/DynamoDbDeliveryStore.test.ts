import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDeliveryStore } from '../../src/adapters/aws/dynamodb/DynamoDbDeliveryStore.js';
import type { IncomingCallback, NewDelivery } from '../../src/ports/DeliveryStore.js';
import { describeDeliveryStore } from '../contract/describeDeliveryStore.js';
import { type DynaliteHandle, startDynalite } from './helpers/startDynalite.js';

let dynamo: DynaliteHandle;
let tables = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

async function freshStore(options: { maxCallbackBytes?: number } = {}) {
  tables += 1;
  const tableName = `deliveries-${tables}`;
  await dynamo.createTable(tableName);
  const clock = { now: new Date('2026-11-27T09:00:00.000Z') };
  const store = new DynamoDbDeliveryStore({
    client: dynamo.client,
    tableName,
    now: () => clock.now,
    ...options,
  });
  return { store, clock, async dispose() {} };
}

describeDeliveryStore('DynamoDbDeliveryStore (dynalite)', () => freshStore());

function newDelivery(id: string, extra: Partial<NewDelivery> = {}): NewDelivery {
  return {
    id,
    providerId: 'acme',
    createdAt: '2026-11-27T09:00:00.000Z',
    expiresAt: '2026-12-04T09:00:00.000Z',
    ...extra,
  };
}

function noisyList(count: number): IncomingCallback {
  // Hex hashes barely compress: the stored body is close to the JSON's size.
  const noise = (i: number) => createHash('sha256').update(String(i)).digest('hex');
  const files = Array.from({ length: count }, (_, i) => ({
    url: `https://f.example/${noise(i)}`,
    name: noise(i + 1e6),
  }));
  return {
    dedupeKey: `acme:noisy-${count}`,
    bodySha256: 'ff'.repeat(32),
    receivedAt: '2026-11-27T09:30:00.000Z',
    callback: { source: { kind: 'files', files } },
  };
}

describe('DynamoDbDeliveryStore: callback bodies in parts', () => {
  it('stores a body that compresses to more than one 400 KB item in several parts and reads it back', async () => {
    // Prepare: 8,000 files of random names: ~1.3 MB of JSON, ~0.7 MB compressed.
    const { store } = await freshStore();
    await store.create(newDelivery('d1'));
    const incoming = noisyList(8_000);
    // Act
    const result = await store.recordCallback('d1', incoming);
    // Assess
    expect(result.verdict).toBe('new');
    expect(await store.getCallback('d1')).toEqual(incoming.callback);
  });

  it('refuses a body over the configured cap with FILE_LIST_TOO_LARGE and changes nothing', async () => {
    const { store } = await freshStore({ maxCallbackBytes: 64 * 1024 });
    await store.create(newDelivery('d1'));
    await expect(store.recordCallback('d1', noisyList(2_000))).rejects.toMatchObject({
      code: 'FILE_LIST_TOO_LARGE',
    });
    expect(await store.get('d1')).toMatchObject({ status: 'awaiting_callback' });
    expect(await store.getCallback('d1')).toBeUndefined();
  });
});
