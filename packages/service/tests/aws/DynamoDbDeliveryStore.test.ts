import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbDeliveryStore } from '../../src/adapters/aws/dynamodb/DynamoDbDeliveryStore.js';
import { IdempotencyConflictError, ServiceError } from '../../src/domain/errors.js';
import type { IncomingCallback, NewDelivery } from '../../src/ports/DeliveryStore.js';
import { type DynaliteHandle, startDynalite } from './helpers/startDynalite.js';

let dynamo: DynaliteHandle;
let store: DynamoDbDeliveryStore;
let tables = 0;
const clock = { now: new Date('2026-11-27T10:00:00.000Z') };

beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});
beforeEach(async () => {
  tables += 1;
  const tableName = `deliveries-${tables}`;
  await dynamo.createTable(tableName);
  store = new DynamoDbDeliveryStore({ client: dynamo.client, tableName, now: () => clock.now });
});

function newDelivery(id: string, extra: Partial<NewDelivery> = {}): NewDelivery {
  return {
    id,
    providerId: 'acme',
    createdAt: '2026-11-27T09:00:00.000Z',
    expiresAt: '2026-12-04T09:00:00.000Z',
    ...extra,
  };
}

function callback(dedupeKey: string, bodySha256: string): IncomingCallback {
  return {
    dedupeKey,
    bodySha256,
    receivedAt: '2026-11-27T09:30:00.000Z',
    callback: { source: { kind: 'manifest', url: 'https://files.acme.example/manifest.json' } },
  };
}

const FILES = [
  { url: 'https://files.acme.example/a.csv', name: 'a.csv', size: 10 },
  { url: 'https://files.acme.example/b.csv', name: 'b.csv', checksums: { sha256: 'ab'.repeat(32) } },
  { url: 'https://files.acme.example/c.csv', name: 'c/c.csv' },
];

describe('create and get', () => {
  it('stores a delivery awaiting its callback, with the files given at registration', async () => {
    // Act
    const result = await store.create(newDelivery('d1', { label: 'march', files: FILES.slice(0, 2) }));
    // Assess
    expect(result.created).toBe(true);
    const stored = await store.get('d1');
    expect(stored).toMatchObject({
      id: 'd1',
      providerId: 'acme',
      label: 'march',
      status: 'awaiting_callback',
    });
    expect(stored?.files.map((file) => [file.index, file.name, file.status, file.bytes])).toEqual([
      [0, 'a.csv', 'pending', 0],
      [1, 'b.csv', 'pending', 0],
    ]);
    expect(stored?.files[1]?.expected).toEqual({ sha256: 'ab'.repeat(32) });
    expect(await store.get('missing')).toBeUndefined();
  });

  it('returns the first delivery for a repeated Idempotency-Key and refuses a different request', async () => {
    await store.create(newDelivery('d1', { idempotencyKey: 'k-1' }));
    const again = await store.create(newDelivery('d2', { idempotencyKey: 'k-1' }));
    expect(again).toMatchObject({ created: false, delivery: { id: 'd1' } });
    expect(await store.get('d2')).toBeUndefined();
    await expect(
      store.create(newDelivery('d3', { idempotencyKey: 'k-1', label: 'other' })),
    ).rejects.toBeInstanceOf(IdempotencyConflictError);
  });

  it('is idempotent by id', async () => {
    await store.create(newDelivery('d1'));
    expect((await store.create(newDelivery('d1'))).created).toBe(false);
  });
});

describe('list', () => {
  it('pages newest first, filters by status and follows the cursor to the end', async () => {
    // Prepare: five deliveries a minute apart; two of them move on.
    for (let i = 0; i < 5; i += 1) {
      await store.create(newDelivery(`d${i}`, { createdAt: `2026-11-27T09:0${i}:00.000Z` }));
    }
    await store.transition('d1', ['awaiting_callback'], 'resolving');
    await store.transition('d3', ['awaiting_callback'], 'resolving');
    // Act
    const first = await store.list({ limit: 2 });
    const second = await store.list({ limit: 2, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) });
    const third = await store.list({ limit: 2, ...(second.nextCursor ? { cursor: second.nextCursor } : {}) });
    const resolving = await store.list({ status: 'resolving', withoutFiles: true });
    // Assess
    expect(first.items.map((d) => d.id)).toEqual(['d4', 'd3']);
    expect(second.items.map((d) => d.id)).toEqual(['d2', 'd1']);
    expect(third.items.map((d) => d.id)).toEqual(['d0']);
    expect(third.nextCursor).toBeUndefined();
    expect(resolving.items.map((d) => d.id)).toEqual(['d3', 'd1']);
  });

  it('refuses a forged cursor with INVALID_CURSOR', async () => {
    await expect(store.list({ cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });
});

describe('transitions and task tokens', () => {
  it('moves only from an allowed status and records the error', async () => {
    await store.create(newDelivery('d1'));
    expect(await store.transition('d1', ['downloading'], 'completed')).toBe(false);
    expect(
      await store.transition('d1', ['awaiting_callback'], 'callback_timed_out', {
        error: { code: 'CALLBACK_TIMED_OUT', message: 'no callback' },
      }),
    ).toBe(true);
    expect(await store.get('d1')).toMatchObject({
      status: 'callback_timed_out',
      error: { code: 'CALLBACK_TIMED_OUT' },
      updatedAt: clock.now.toISOString(),
    });
    expect(await store.transition('missing', ['awaiting_callback'], 'failed')).toBe(false);
  });

  it('stores, replaces and deletes the task token', async () => {
    await store.create(newDelivery('d1'));
    await store.putTaskToken('d1', 'token-1');
    await store.putTaskToken('d1', 'token-2');
    expect(await store.getTaskToken('d1')).toBe('token-2');
    await store.deleteTaskToken('d1');
    expect(await store.getTaskToken('d1')).toBeUndefined();
    await store.putTaskToken('missing', 'x');
    expect(await store.get('missing')).toBeUndefined();
  });
});

describe('recordCallback', () => {
  it('accepts the first callback, then answers duplicate, conflict, closed and not_found', async () => {
    await store.create(newDelivery('d1'));
    const first = await store.recordCallback('d1', callback('acme:evt-1', 'aa'.repeat(32)));
    expect(first.verdict).toBe('new');
    expect(first.delivery).toMatchObject({ status: 'resolving', callback: { dedupeKey: 'acme:evt-1' } });
    expect(await store.getCallback('d1')).toEqual({
      source: { kind: 'manifest', url: 'https://files.acme.example/manifest.json' },
    });
    expect((await store.recordCallback('d1', callback('acme:evt-1', 'AA'.repeat(32)))).verdict).toBe(
      'duplicate',
    );
    expect((await store.recordCallback('d1', callback('acme:evt-1', 'bb'.repeat(32)))).verdict).toBe(
      'conflict',
    );
    expect((await store.recordCallback('d1', callback('acme:evt-2', 'cc'.repeat(32)))).verdict).toBe(
      'closed',
    );
    expect((await store.recordCallback('nope', callback('acme:evt-3', 'dd'.repeat(32)))).verdict).toBe(
      'not_found',
    );
  });

  it('keeps an inline list of 10 000 files (far over one item uncompressed) and reads it back', async () => {
    // Prepare: ~1.2 MB of JSON, more than a DynamoDB item holds.
    await store.create(newDelivery('d1'));
    const files = Array.from({ length: 10_000 }, (_, i) => ({
      url: `https://files.acme.example/exports/2026/11/part-${String(i).padStart(5, '0')}.csv.gz`,
      name: `exports/2026/11/part-${String(i).padStart(5, '0')}.csv.gz`,
      size: 1_000_000 + i,
    }));
    const incoming = {
      ...callback('acme:big', 'ee'.repeat(32)),
      callback: { source: { kind: 'files' as const, files } },
    };
    expect(JSON.stringify(incoming.callback).length).toBeGreaterThan(400 * 1024);
    // Act
    const result = await store.recordCallback('d1', incoming);
    // Assess
    expect(result.verdict).toBe('new');
    expect(await store.getCallback('d1')).toEqual(incoming.callback);
    expect((await store.get('d1'))?.files).toEqual([]);
  });

  it('refuses a list that does not fit even compressed with FILE_LIST_TOO_LARGE and changes nothing', async () => {
    await store.create(newDelivery('d1'));
    const noise = (i: number) => createHash('sha256').update(String(i)).digest('hex');
    const files = Array.from({ length: 8_000 }, (_, i) => ({
      url: `https://f.example/${noise(i)}`,
      name: noise(i + 1e6),
    }));
    const incoming = {
      ...callback('acme:huge', 'ff'.repeat(32)),
      callback: { source: { kind: 'files' as const, files } },
    };
    await expect(store.recordCallback('d1', incoming)).rejects.toMatchObject({ code: 'FILE_LIST_TOO_LARGE' });
    expect((await store.get('d1'))?.status).toBe('awaiting_callback');
  });

  it('lets exactly one of two simultaneous different callbacks in', async () => {
    await store.create(newDelivery('d1'));
    const a = {
      ...callback('acme:evt-a', 'aa'.repeat(32)),
      callback: { source: { kind: 'list-api' as const, url: 'https://a.example/' } },
    };
    const b = {
      ...callback('acme:evt-b', 'bb'.repeat(32)),
      callback: { source: { kind: 'list-api' as const, url: 'https://b.example/' } },
    };
    const verdicts = await Promise.all([store.recordCallback('d1', a), store.recordCallback('d1', b)]);
    expect(verdicts.map((result) => result.verdict).sort()).toEqual(['closed', 'new']);
    // The stored body is the winner's, whichever it was.
    const winner = verdicts[0]?.verdict === 'new' ? a : b;
    expect(await store.getCallback('d1')).toEqual(winner.callback);
  });
});

describe('files', () => {
  it('sets the list once, lists indices by status, updates and counts attempts', async () => {
    await store.create(newDelivery('d1'));
    expect(await store.setFiles('d1', FILES)).toBe(true);
    expect(await store.setFiles('d1', FILES.slice(0, 1))).toBe(false);
    expect(await store.startFileAttempt('d1', 1)).toBe(1);
    expect(await store.startFileAttempt('d1', 1)).toBe(2);
    await store.updateFile('d1', 1, { error: { code: 'HTTP_503', message: 'busy' } });
    await store.updateFile('d1', 1, {
      status: 'completed',
      bytes: 42,
      sha256: 'ef'.repeat(32),
      error: null,
      route: 'small',
    });
    await store.updateFile('d1', 2, { status: 'failed', error: { code: 'HTTP_404', message: 'gone' } });
    expect(await store.listFileIndices('d1', { statuses: ['pending'], fromIndex: 0, limit: 10 })).toEqual([
      0,
    ]);
    expect(
      await store.listFileIndices('d1', { statuses: ['completed', 'failed'], fromIndex: 2, limit: 10 }),
    ).toEqual([2]);
    expect(await store.getFile('d1', 1)).toEqual({
      index: 1,
      name: 'b.csv',
      sourceUrl: 'https://files.acme.example/b.csv',
      expected: { sha256: 'ab'.repeat(32) },
      bytes: 42,
      sha256: 'ef'.repeat(32),
      attempts: 2,
      status: 'completed',
      route: 'small',
    });
    expect(await store.getFile('d1', 9)).toBeUndefined();
  });

  it('refuses an attempt on a file that does not exist', async () => {
    await store.create(newDelivery('d1'));
    await expect(store.startFileAttempt('d1', 0)).rejects.toBeInstanceOf(ServiceError);
  });

  it('stores lists longer than one BatchWriteItem call (25 items) in order', async () => {
    await store.create(newDelivery('d1'));
    const many = Array.from({ length: 60 }, (_, i) => ({
      url: `https://files.acme.example/${i}`,
      name: `f${i}`,
    }));
    expect(await store.setFiles('d1', many)).toBe(true);
    const stored = await store.get('d1');
    expect(stored?.files.map((file) => file.name)).toEqual(many.map((file) => file.name));
    expect(await store.listFileIndices('d1', { statuses: ['pending'], fromIndex: 55, limit: 3 })).toEqual([
      55, 56, 57,
    ]);
  });
});

describe('getDeliveryFile', () => {
  it('reads one file with its delivery header, without the other files', async () => {
    // Prepare
    await store.create(newDelivery('d1', { label: 'one file', files: FILES }));
    await store.transition('d1', ['awaiting_callback'], 'downloading');
    await store.updateFile('d1', 2, { bytes: 7 });

    // Act
    const found = await store.getDeliveryFile('d1', 2);
    const noFile = await store.getDeliveryFile('d1', 9);
    const noDelivery = await store.getDeliveryFile('nope', 0);

    // Assess
    expect(found?.delivery).toMatchObject({
      id: 'd1',
      providerId: 'acme',
      status: 'downloading',
      label: 'one file',
    });
    expect(found?.delivery).not.toHaveProperty('files');
    expect(found?.file).toMatchObject({ index: 2, name: 'c/c.csv', sourceUrl: FILES[2]?.url, bytes: 7 });
    expect(noFile).toMatchObject({ delivery: { id: 'd1' }, file: undefined });
    expect(noDelivery).toBeUndefined();
  });
});
