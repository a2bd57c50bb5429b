/**
 * The DeliveryStore contract: one suite that every adapter runs (SQLite, DynamoDB on dynalite,
 * the in-memory test store). What the port documents, asserted once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryCounts, FileRecord } from '../../src/domain/delivery.js';
import { IdempotencyConflictError } from '../../src/domain/errors.js';
import type { FileSpec } from '../../src/domain/fileSpec.js';
import type {
  DeliveryStore,
  IncomingCallback,
  ListFilesQuery,
  NewDelivery,
} from '../../src/ports/DeliveryStore.js';

/** A store under test, its clock, and how to dispose of it. */
export interface StoreUnderTest {
  readonly store: DeliveryStore;
  /** The clock the store reads for `updatedAt`; tests move it. */
  readonly clock: { now: Date };
  dispose(): Promise<void>;
}

const CREATED = '2026-11-27T09:00:00.000Z';
const EXPIRES = '2026-12-04T09:00:00.000Z';

function newDelivery(id: string, extra: Partial<NewDelivery> = {}): NewDelivery {
  return { id, providerId: 'acme', createdAt: CREATED, expiresAt: EXPIRES, ...extra };
}

function callback(
  dedupeKey: string,
  bodySha256: string,
  extra: Partial<IncomingCallback> = {},
): IncomingCallback {
  return {
    dedupeKey,
    bodySha256,
    receivedAt: '2026-11-27T09:30:00.000Z',
    callback: { source: { kind: 'manifest', url: 'https://files.acme.example/manifest.json' } },
    ...extra,
  };
}

const FILES: FileSpec[] = [
  { url: 'https://files.acme.example/a.csv', name: 'a.csv', size: 10 },
  { url: 'https://files.acme.example/b.csv', name: 'b.csv', checksums: { sha256: 'ab'.repeat(32) } },
  { url: 'https://files.acme.example/c.csv', name: 'c/c.csv', size: 30 },
];

function manyFiles(count: number, sized = true): FileSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    url: `https://files.acme.example/f/${i}`,
    name: `f/${String(i).padStart(6, '0')}.bin`,
    ...(sized ? { size: i } : {}),
  }));
}

async function allPages(store: DeliveryStore, id: string, query: ListFilesQuery): Promise<FileRecord[][]> {
  const pages: FileRecord[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listFiles(id, { ...query, ...(cursor === undefined ? {} : { cursor }) });
    pages.push([...page.items]);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return pages;
}

/** The counts recomputed from every file record: what the stored counts must equal. */
function recount(files: readonly FileRecord[]): DeliveryCounts {
  const count = (status: FileRecord['status']) => files.filter((file) => file.status === status).length;
  return {
    files: files.length,
    pending: count('pending'),
    downloading: count('downloading'),
    completed: count('completed'),
    failed: count('failed'),
    bytesExpected: files.reduce((sum, file) => sum + (file.size ?? 0), 0),
    sizeUnknown: files.filter((file) => file.size === undefined).length,
    bytesDone: files.reduce((sum, file) => sum + file.bytes, 0),
  };
}

/** Runs the contract against stores made by `makeStore` (a fresh, empty store per test). */
export function describeDeliveryStore(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`DeliveryStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: DeliveryStore;

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.dispose();
    });

    describe('create and get', () => {
      it('stores a delivery awaiting its callback, with the files given at registration and their counts', async () => {
        // Act
        const result = await store.create(
          newDelivery('d1', { label: 'march', projectId: 'p-7', files: FILES }),
        );
        // Assess
        expect(result.created).toBe(true);
        const stored = await store.get('d1');
        expect(stored).toEqual(result.delivery);
        expect(stored).toMatchObject({
          id: 'd1',
          providerId: 'acme',
          projectId: 'p-7',
          label: 'march',
          status: 'awaiting_callback',
          createdAt: CREATED,
          expiresAt: EXPIRES,
          updatedAt: CREATED,
          counts: {
            files: 3,
            pending: 3,
            downloading: 0,
            completed: 0,
            failed: 0,
            bytesExpected: 40,
            sizeUnknown: 1,
            bytesDone: 0,
          },
        });
        expect(stored).not.toHaveProperty('files');
        const page = await store.listFiles('d1');
        expect(page.items.map((file) => [file.index, file.name, file.status, file.bytes, file.size])).toEqual(
          [
            [0, 'a.csv', 'pending', 0, 10],
            [1, 'b.csv', 'pending', 0, undefined],
            [2, 'c/c.csv', 'pending', 0, 30],
          ],
        );
        expect(page.items[1]?.expected).toEqual({ sha256: 'ab'.repeat(32) });
        expect(page.nextCursor).toBeUndefined();
        expect(await store.get('missing')).toBeUndefined();
      });

      it('starts with zero counts when no files are given', async () => {
        await store.create(newDelivery('d1'));
        expect((await store.get('d1'))?.counts).toEqual({
          files: 0,
          pending: 0,
          downloading: 0,
          completed: 0,
          failed: 0,
          bytesExpected: 0,
          sizeUnknown: 0,
          bytesDone: 0,
        });
        expect((await store.listFiles('d1')).items).toEqual([]);
      });

      it('returns the first delivery for a repeated Idempotency-Key and refuses the key for a different request', async () => {
        await store.create(newDelivery('d1', { idempotencyKey: 'k-1', label: 'run 7' }));
        const again = await store.create(newDelivery('d2', { idempotencyKey: 'k-1', label: 'run 7' }));
        expect(again).toMatchObject({ created: false, delivery: { id: 'd1', label: 'run 7' } });
        expect(await store.get('d2')).toBeUndefined();
        const other = store.create(newDelivery('d3', { idempotencyKey: 'k-1', label: 'run 8' }));
        await expect(other).rejects.toBeInstanceOf(IdempotencyConflictError);
        await expect(other).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
        expect(await store.get('d3')).toBeUndefined();
      });

      it('is idempotent by id', async () => {
        await store.create(newDelivery('d1', { files: FILES }));
        const again = await store.create(newDelivery('d1', { files: FILES }));
        expect(again.created).toBe(false);
        expect(again.delivery.counts.files).toBe(3);
      });
    });

    describe('list', () => {
      it('pages newest first, filters by status, follows the cursor to the end and carries counts, not files', async () => {
        // Prepare: five deliveries a minute apart; two of them move on.
        for (let i = 0; i < 5; i += 1) {
          await store.create(
            newDelivery(`d${i}`, { createdAt: `2026-11-27T09:0${i}:00.000Z`, files: FILES.slice(0, i % 3) }),
          );
        }
        await store.transition('d1', ['awaiting_callback'], 'resolving');
        await store.transition('d3', ['awaiting_callback'], 'resolving');
        // Act
        const first = await store.list({ limit: 2 });
        const second = await store.list({
          limit: 2,
          ...(first.nextCursor ? { cursor: first.nextCursor } : {}),
        });
        const third = await store.list({
          limit: 2,
          ...(second.nextCursor ? { cursor: second.nextCursor } : {}),
        });
        const resolving = await store.list({ status: 'resolving' });
        const either = await store.list({ status: ['resolving', 'completed'], limit: 1 });
        // Assess
        expect(first.items.map((d) => d.id)).toEqual(['d4', 'd3']);
        expect(second.items.map((d) => d.id)).toEqual(['d2', 'd1']);
        expect(third.items.map((d) => d.id)).toEqual(['d0']);
        expect(third.nextCursor).toBeUndefined();
        expect(resolving.items.map((d) => d.id)).toEqual(['d3', 'd1']);
        expect(either.items.map((d) => d.id)).toEqual(['d3']);
        expect(either.nextCursor).toBeDefined();
        expect(first.items.map((d) => d.counts.files)).toEqual([1, 0]);
        for (const item of first.items) expect(item).not.toHaveProperty('files');
      });

      it('refuses a forged cursor with INVALID_CURSOR', async () => {
        await expect(store.list({ cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({
          code: 'INVALID_CURSOR',
        });
        await expect(store.list({ cursor: '%%%' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
      });
    });

    describe('listOpen', () => {
      it('pages the deliveries not yet terminal, oldest first, and leaves out the finished ones', async () => {
        // Prepare: six deliveries a minute apart; three end, one moves on.
        for (let i = 0; i < 6; i += 1) {
          await store.create(newDelivery(`d${i}`, { createdAt: `2026-11-27T09:0${i}:00.000Z` }));
        }
        await store.transition('d0', ['awaiting_callback'], 'callback_timed_out');
        await store.transition('d2', ['awaiting_callback'], 'resolving');
        await store.transition('d2', ['resolving'], 'downloading');
        await store.transition('d3', ['awaiting_callback'], 'failed');
        await store.transition('d5', ['awaiting_callback'], 'downloading');
        await store.transition('d5', ['downloading'], 'completed');
        // Act
        const first = await store.listOpen({ limit: 2 });
        const second = await store.listOpen({
          limit: 2,
          ...(first.nextCursor ? { cursor: first.nextCursor } : {}),
        });
        const all = await store.listOpen();
        // Assess
        expect(first.items.map((d) => [d.id, d.status])).toEqual([
          ['d1', 'awaiting_callback'],
          ['d2', 'downloading'],
        ]);
        expect(second.items.map((d) => d.id)).toEqual(['d4']);
        expect(second.nextCursor).toBeUndefined();
        expect(all.items.map((d) => d.id)).toEqual(['d1', 'd2', 'd4']);
        for (const item of all.items) expect(item).not.toHaveProperty('files');
        await expect(store.listOpen({ cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({
          code: 'INVALID_CURSOR',
        });
      });
    });

    describe('transitions and task tokens', () => {
      it('moves only from an allowed status and records the error and the time', async () => {
        await store.create(newDelivery('d1'));
        subject.clock.now = new Date('2026-11-27T10:00:00.000Z');
        expect(await store.transition('d1', ['downloading'], 'completed')).toBe(false);
        expect(await store.transition('d1', [], 'completed')).toBe(false);
        expect(
          await store.transition('d1', ['awaiting_callback'], 'callback_timed_out', {
            error: { code: 'CALLBACK_TIMED_OUT', message: 'no callback' },
          }),
        ).toBe(true);
        expect(await store.get('d1')).toMatchObject({
          status: 'callback_timed_out',
          error: { code: 'CALLBACK_TIMED_OUT', message: 'no callback' },
          updatedAt: '2026-11-27T10:00:00.000Z',
        });
        expect(await store.transition('missing', ['awaiting_callback'], 'failed')).toBe(false);
      });

      it('stores, replaces and deletes the task token per delivery', async () => {
        await store.create(newDelivery('d1'));
        await store.create(newDelivery('d2'));
        await store.putTaskToken('d1', 'token-1');
        await store.putTaskToken('d1', 'token-2');
        await store.putTaskToken('d2', 'token-3');
        expect(await store.getTaskToken('d1')).toBe('token-2');
        await store.deleteTaskToken('d1');
        expect(await store.getTaskToken('d1')).toBeUndefined();
        expect(await store.getTaskToken('d2')).toBe('token-3');
        await store.putTaskToken('missing', 'x');
        expect(await store.get('missing')).toBeUndefined();
      });
    });

    describe('recordCallback', () => {
      it('accepts the first callback, then answers duplicate, conflict, closed and not_found', async () => {
        await store.create(newDelivery('d1'));
        const first = await store.recordCallback(
          'd1',
          callback('acme:evt-1', 'AA'.repeat(32), { eventId: 'evt-1' }),
        );
        expect(first.verdict).toBe('new');
        expect(first.delivery).toMatchObject({
          status: 'resolving',
          callback: {
            eventId: 'evt-1',
            dedupeKey: 'acme:evt-1',
            bodySha256: 'aa'.repeat(32),
            receivedAt: '2026-11-27T09:30:00.000Z',
          },
        });
        expect(await store.get('d1')).toEqual(first.delivery);
        expect(await store.getCallback('d1')).toEqual({
          source: { kind: 'manifest', url: 'https://files.acme.example/manifest.json' },
        });
        const duplicate = await store.recordCallback('d1', callback('acme:evt-1', 'aa'.repeat(32)));
        expect(duplicate).toMatchObject({
          verdict: 'duplicate',
          delivery: { id: 'd1', status: 'resolving' },
        });
        expect((await store.recordCallback('d1', callback('acme:evt-1', 'bb'.repeat(32)))).verdict).toBe(
          'conflict',
        );
        expect((await store.recordCallback('d1', callback('acme:evt-2', 'cc'.repeat(32)))).verdict).toBe(
          'closed',
        );
        expect((await store.recordCallback('nope', callback('acme:evt-3', 'dd'.repeat(32)))).verdict).toBe(
          'not_found',
        );
        expect((await store.get('d1'))?.callback?.dedupeKey).toBe('acme:evt-1');
      });

      it('keeps an inline list of 10,000 files (over 1 MB of JSON, far over a DynamoDB item) and reads it back', async () => {
        await store.create(newDelivery('d1'));
        const files = Array.from({ length: 10_000 }, (_, i) => ({
          url: `https://files.acme.example/exports/2026/11/part-${String(i).padStart(5, '0')}.csv.gz`,
          name: `exports/2026/11/part-${String(i).padStart(5, '0')}.csv.gz`,
          size: 1_000_000 + i,
        }));
        const incoming = callback('acme:big', 'ee'.repeat(32), {
          callback: { source: { kind: 'files', files } },
        });
        expect(JSON.stringify(incoming.callback).length).toBeGreaterThan(1024 * 1024);
        // Act
        const result = await store.recordCallback('d1', incoming);
        // Assess: the body is kept apart; the delivery record holds no list.
        expect(result.verdict).toBe('new');
        expect(await store.getCallback('d1')).toEqual(incoming.callback);
        expect((await store.get('d1'))?.counts.files).toBe(0);
        expect(JSON.stringify(await store.get('d1')).length).toBeLessThan(2048);
      });

      it('lets exactly one of two simultaneous different callbacks in', async () => {
        await store.create(newDelivery('d1'));
        const a = callback('acme:evt-a', 'aa'.repeat(32), {
          callback: { source: { kind: 'list-api', url: 'https://a.example/' } },
        });
        const b = callback('acme:evt-b', 'bb'.repeat(32), {
          callback: { source: { kind: 'list-api', url: 'https://b.example/' } },
        });
        const verdicts = await Promise.all([store.recordCallback('d1', a), store.recordCallback('d1', b)]);
        expect(verdicts.map((result) => result.verdict).sort()).toEqual(['closed', 'new']);
        const winner = verdicts[0]?.verdict === 'new' ? a : b;
        expect(await store.getCallback('d1')).toEqual(winner.callback);
      });
    });

    describe('files', () => {
      it('sets the list once, with counts, and keeps it on a second call', async () => {
        await store.create(newDelivery('d1'));
        subject.clock.now = new Date('2026-11-27T10:00:00.000Z');
        expect(await store.setFiles('d1', FILES)).toBe(true);
        expect(await store.setFiles('d1', FILES.slice(0, 1))).toBe(false);
        expect(await store.setFiles('missing', FILES)).toBe(false);
        expect(await store.get('d1')).toMatchObject({
          updatedAt: '2026-11-27T10:00:00.000Z',
          counts: { files: 3, pending: 3, bytesExpected: 40, sizeUnknown: 1, bytesDone: 0 },
        });
        expect((await store.listFiles('d1')).items.map((file) => file.name)).toEqual([
          'a.csv',
          'b.csv',
          'c/c.csv',
        ]);
      });

      it('counts attempts, records progress and outcomes, and moves the counts with every change', async () => {
        // Prepare
        await store.create(newDelivery('d1', { files: FILES }));
        // Act
        expect(await store.startFileAttempt('d1', 1)).toBe(1);
        expect(await store.startFileAttempt('d1', 1, 'small')).toBe(2);
        expect((await store.get('d1'))?.counts).toMatchObject({ pending: 2, downloading: 1 });
        await store.updateFile('d1', 1, { size: 42, bytes: 20 });
        expect((await store.get('d1'))?.counts).toMatchObject({
          bytesExpected: 82,
          sizeUnknown: 0,
          bytesDone: 20,
        });
        await store.updateFile('d1', 1, { error: { code: 'HTTP_503', message: 'busy' } });
        await store.updateFile('d1', 1, {
          status: 'completed',
          bytes: 42,
          sha256: 'ef'.repeat(32),
          error: null,
        });
        await store.startFileAttempt('d1', 2, 'large');
        await store.updateFile('d1', 2, {
          status: 'failed',
          bytes: 5,
          error: { code: 'HTTP_404', message: 'gone' },
        });
        await store.updateFile('d1', 9, { status: 'completed', bytes: 1 });
        await store.updateFile('d1', 0, {});
        // Assess
        expect(await store.getFile('d1', 1)).toEqual({
          index: 1,
          name: 'b.csv',
          sourceUrl: 'https://files.acme.example/b.csv',
          size: 42,
          expected: { sha256: 'ab'.repeat(32) },
          bytes: 42,
          sha256: 'ef'.repeat(32),
          attempts: 2,
          status: 'completed',
          route: 'small',
        });
        expect(await store.getFile('d1', 2)).toMatchObject({
          status: 'failed',
          route: 'large',
          attempts: 1,
          error: { code: 'HTTP_404', message: 'gone' },
        });
        expect(await store.getFile('d1', 9)).toBeUndefined();
        expect((await store.get('d1'))?.counts).toEqual({
          files: 3,
          pending: 1,
          downloading: 0,
          completed: 1,
          failed: 1,
          bytesExpected: 82,
          sizeUnknown: 0,
          bytesDone: 47,
        });
      });

      it('keeps the route of an earlier attempt and refuses an attempt on a file that does not exist', async () => {
        await store.create(newDelivery('d1', { files: FILES.slice(0, 1) }));
        await store.startFileAttempt('d1', 0, 'large');
        await store.startFileAttempt('d1', 0);
        expect(await store.getFile('d1', 0)).toMatchObject({
          status: 'downloading',
          attempts: 2,
          route: 'large',
        });
        await expect(store.startFileAttempt('d1', 5, 'small')).rejects.toMatchObject({
          code: 'DELIVERY_NOT_FOUND',
        });
        await expect(store.startFileAttempt('nope', 0)).rejects.toMatchObject({ code: 'DELIVERY_NOT_FOUND' });
        expect((await store.get('d1'))?.counts).toMatchObject({ pending: 0, downloading: 1 });
      });

      it('keeps exact counts under concurrent changes of many files', async () => {
        await store.create(newDelivery('d1', { files: manyFiles(60) }));
        await Promise.all(
          Array.from({ length: 60 }, async (_, i) => {
            await store.startFileAttempt('d1', i);
            await Promise.all([
              store.updateFile('d1', i, { bytes: i }),
              store.updateFile('d1', i, { status: i % 4 === 0 ? 'failed' : 'completed' }),
            ]);
          }),
        );
        const files = (await allPages(store, 'd1', { limit: 1000 })).flat();
        expect((await store.get('d1'))?.counts).toEqual(recount(files));
        expect((await store.get('d1'))?.counts).toMatchObject({ completed: 45, failed: 15, bytesDone: 1770 });
      });

      it('applies a batch of changes in order, with attempts, and moves the counts by their sum', async () => {
        // Prepare
        await store.create(newDelivery('d1', { files: manyFiles(40, false) }));
        subject.clock.now = new Date('2026-11-27T11:00:00.000Z');
        // Act: starts of 0-29, then outcomes; file 5 twice in one batch; file 99 does not exist.
        await store.updateFiles(
          'd1',
          Array.from({ length: 30 }, (_, index) => ({
            index,
            patch: { route: 'small' as const },
            addAttempt: true,
          })),
        );
        expect((await store.get('d1'))?.counts).toMatchObject({ pending: 10, downloading: 30 });
        await store.updateFiles('d1', [
          ...Array.from({ length: 28 }, (_, index) => ({
            index,
            patch: { status: 'completed' as const, bytes: 100, size: 100, sha256: 'ab'.repeat(32) },
          })),
          { index: 28, patch: { status: 'failed' as const, error: { code: 'HTTP_STATUS', message: '500' } } },
          { index: 5, patch: { bytes: 120, size: 120 } },
          { index: 35, patch: { status: 'pending' as const }, addAttempt: true },
          { index: 99, patch: { status: 'completed' as const } },
          { index: 1, patch: {} },
        ]);
        await store.updateFiles('d1', []);
        // Assess
        expect(await store.getFile('d1', 5)).toMatchObject({
          status: 'completed',
          bytes: 120,
          size: 120,
          attempts: 1,
          route: 'small',
        });
        expect(await store.getFile('d1', 28)).toMatchObject({
          status: 'failed',
          attempts: 1,
          error: { code: 'HTTP_STATUS' },
        });
        expect(await store.getFile('d1', 35)).toMatchObject({ status: 'pending', attempts: 1 });
        expect(await store.getFile('d1', 29)).toMatchObject({ status: 'downloading', attempts: 1 });
        const files = (await allPages(store, 'd1', { limit: 1000 })).flat();
        const header = await store.get('d1');
        expect(header?.counts).toEqual(recount(files));
        expect(header?.counts).toMatchObject({
          completed: 28,
          failed: 1,
          downloading: 1,
          pending: 10,
          bytesDone: 2_820,
        });
        expect(header?.updatedAt).toBe('2026-11-27T11:00:00.000Z');
      });

      it('reads one file with its delivery header and counts, without the other files', async () => {
        await store.create(newDelivery('d1', { label: 'one file', files: FILES }));
        await store.transition('d1', ['awaiting_callback'], 'downloading');
        await store.updateFile('d1', 2, { bytes: 7 });
        const found = await store.getDeliveryFile('d1', 2);
        expect(found?.delivery).toMatchObject({
          id: 'd1',
          status: 'downloading',
          label: 'one file',
          counts: { files: 3, bytesDone: 7 },
        });
        expect(found?.delivery).not.toHaveProperty('files');
        expect(found?.file).toMatchObject({ index: 2, name: 'c/c.csv', sourceUrl: FILES[2]?.url, bytes: 7 });
        expect(await store.getDeliveryFile('d1', 9)).toMatchObject({
          delivery: { id: 'd1' },
          file: undefined,
        });
        expect(await store.getDeliveryFile('nope', 0)).toBeUndefined();
      });

      it('lists indices by status from an index on', async () => {
        await store.create(newDelivery('d1', { files: manyFiles(60) }));
        await store.updateFile('d1', 1, { status: 'completed' });
        await store.updateFile('d1', 57, { status: 'failed' });
        expect(await store.listFileIndices('d1', { statuses: ['pending'], fromIndex: 0, limit: 3 })).toEqual([
          0, 2, 3,
        ]);
        expect(await store.listFileIndices('d1', { statuses: ['pending'], fromIndex: 55, limit: 3 })).toEqual(
          [55, 56, 58],
        );
        expect(
          await store.listFileIndices('d1', { statuses: ['completed', 'failed'], fromIndex: 2, limit: 10 }),
        ).toEqual([57]);
        expect(await store.listFileIndices('d1', { statuses: [], fromIndex: 0, limit: 10 })).toEqual([]);
      });
    });

    describe('listFiles', () => {
      it('pages a list longer than any page or batch in index order, every file once', async () => {
        // Prepare: 2,600 files (104 BatchWriteItem calls on DynamoDB).
        const files = manyFiles(2_600);
        await store.create(newDelivery('d1'));
        await store.setFiles('d1', files);
        // Act
        const pages = await allPages(store, 'd1', { limit: 1000 });
        const first = await store.listFiles('d1');
        // Assess
        expect(pages.map((page) => page.length)).toEqual([1000, 1000, 600]);
        expect(pages.flat().map((file) => file.index)).toEqual(files.map((_, i) => i));
        expect(pages.flat().map((file) => file.name)).toEqual(files.map((file) => file.name));
        expect(first.items).toHaveLength(100);
        expect(first.nextCursor).toBeDefined();
        expect((await store.get('d1'))?.counts).toMatchObject({
          files: 2_600,
          pending: 2_600,
          bytesExpected: 3_378_700,
        });
      });

      it('starts at fromIndex, with or without a cursor', async () => {
        await store.create(newDelivery('d1', { files: manyFiles(30) }));
        await store.updateFile('d1', 21, { status: 'completed' });
        const from = await store.listFiles('d1', { fromIndex: 20, limit: 3 });
        const pending = await store.listFiles('d1', { fromIndex: 20, status: 'pending', limit: 3 });
        const early = await store.listFiles('d1', { limit: 2 });
        const both = await store.listFiles('d1', {
          fromIndex: 25,
          limit: 2,
          ...(early.nextCursor ? { cursor: early.nextCursor } : {}),
        });
        expect(from.items.map((file) => file.index)).toEqual([20, 21, 22]);
        expect(pending.items.map((file) => file.index)).toEqual([20, 22, 23]);
        expect(both.items.map((file) => file.index)).toEqual([25, 26]);
        expect((await store.listFiles('d1', { fromIndex: 30 })).items).toEqual([]);
      });

      it('filters by status across pages', async () => {
        await store.create(newDelivery('d1', { files: manyFiles(90, false) }));
        for (const index of [3, 40, 41, 89]) await store.updateFile('d1', index, { status: 'failed' });
        await store.updateFile('d1', 50, { status: 'completed' });
        const failed = (await allPages(store, 'd1', { status: 'failed', limit: 2 })).flat();
        const done = (await allPages(store, 'd1', { status: ['failed', 'completed'], limit: 1000 })).flat();
        expect(failed.map((file) => file.index)).toEqual([3, 40, 41, 89]);
        expect(done.map((file) => file.index)).toEqual([3, 40, 41, 50, 89]);
        expect((await store.listFiles('d1', { status: 'downloading' })).items).toEqual([]);
      });

      it('clamps the page size, refuses a forged cursor and answers an empty page for an unknown delivery', async () => {
        await store.create(newDelivery('d1', { files: manyFiles(3) }));
        expect((await store.listFiles('d1', { limit: 0 })).items).toHaveLength(1);
        expect((await store.listFiles('d1', { limit: 5000 })).items).toHaveLength(3);
        await expect(store.listFiles('d1', { cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({
          code: 'INVALID_CURSOR',
        });
        await store.create(newDelivery('d0'));
        const deliveryCursor = (await store.list({ limit: 1 })).nextCursor;
        expect(deliveryCursor).toBeDefined();
        await expect(store.listFiles('d1', { cursor: String(deliveryCursor) })).rejects.toMatchObject({
          code: 'INVALID_CURSOR',
        });
        expect(await store.listFiles('nope')).toEqual({ items: [] });
      });
    });
  });
}
