import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDeliveryStore } from '../../src/adapters/local/sqlite/SqliteDeliveryStore.js';
import { StateDatabaseInUseError } from '../../src/adapters/local/sqlite/StateDatabaseInUseError.js';
import { IdempotencyConflictError } from '../../src/domain/errors.js';
import type { IncomingCallback, NewDelivery } from '../../src/ports/DeliveryStore.js';
import { makeTempDir } from '../helpers/tempDir.js';

const T0 = '2026-11-27T22:00:00.000Z';
const STORE_PROCESS = join(import.meta.dirname, 'helpers', 'storeProcess.ts');

/** `helpers/storeProcess.ts` in a child process: the child and a promise of its first stdout line. */
function startStoreProcess(...args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', STORE_PROCESS, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const firstLine = new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`store process exited with ${code} before printing`)));
  });
  return { child, exited, firstLine };
}

function newDelivery(id: string, extra: Partial<NewDelivery> = {}): NewDelivery {
  return { id, providerId: 'demo', createdAt: T0, expiresAt: '2026-11-28T22:00:00.000Z', ...extra };
}

function callback(key: string, bodySha256: string): IncomingCallback {
  return {
    eventId: key,
    dedupeKey: `demo/${key}`,
    bodySha256,
    receivedAt: T0,
    callback: {
      source: { kind: 'files', files: [{ url: 'https://files.example.com/a.csv', name: 'a.csv' }] },
    },
  };
}

describe('SqliteDeliveryStore', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let dbPath: string;
  let store: SqliteDeliveryStore;

  beforeEach(async () => {
    dir = await makeTempDir();
    dbPath = join(dir.path, 'state', 'deliveries.sqlite');
    store = new SqliteDeliveryStore({ path: dbPath });
  });

  afterEach(async () => {
    await store.close();
    await dir.remove();
  });

  it('creates a delivery once per idempotency key and refuses the key for a different request', async () => {
    // Prepare
    const first = await store.create(newDelivery('d1', { idempotencyKey: 'k1', label: 'run 7' }));

    // Act
    const again = await store.create(newDelivery('d2', { idempotencyKey: 'k1', label: 'run 7' }));
    const other = store.create(newDelivery('d3', { idempotencyKey: 'k1', label: 'run 8' }));

    // Assess
    expect(first.created).toBe(true);
    expect(first.delivery).toMatchObject({
      id: 'd1',
      status: 'awaiting_callback',
      label: 'run 7',
      files: [],
    });
    expect(again).toMatchObject({ created: false, delivery: { id: 'd1' } });
    await expect(other).rejects.toBeInstanceOf(IdempotencyConflictError);
    await expect(other).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    expect(await store.get('d2')).toBeUndefined();
  });

  it('moves status only from the expected statuses', async () => {
    await store.create(newDelivery('d1'));

    const wrongFrom = await store.transition('d1', ['downloading'], 'completed');
    const ok = await store.transition('d1', ['awaiting_callback'], 'callback_timed_out', {
      error: { code: 'CALLBACK_TIMED_OUT', message: 'no callback' },
    });
    const again = await store.transition('d1', ['awaiting_callback'], 'resolving');

    expect(wrongFrom).toBe(false);
    expect(ok).toBe(true);
    expect(again).toBe(false);
    expect(await store.get('d1')).toMatchObject({
      status: 'callback_timed_out',
      error: { code: 'CALLBACK_TIMED_OUT', message: 'no callback' },
    });
  });

  it('classifies callbacks as new, duplicate, conflict, closed and not_found atomically', async () => {
    await store.create(newDelivery('d1'));

    const first = await store.recordCallback('d1', callback('evt-1', 'AA'.repeat(32)));
    const duplicate = await store.recordCallback('d1', callback('evt-1', 'aa'.repeat(32)));
    const conflict = await store.recordCallback('d1', callback('evt-1', 'bb'.repeat(32)));
    const secondEvent = await store.recordCallback('d1', callback('evt-2', 'cc'.repeat(32)));
    const unknown = await store.recordCallback('nope', callback('evt-3', 'dd'.repeat(32)));

    expect(first.verdict).toBe('new');
    expect(first.delivery).toMatchObject({
      status: 'resolving',
      callback: { eventId: 'evt-1', dedupeKey: 'demo/evt-1', bodySha256: 'aa'.repeat(32), receivedAt: T0 },
    });
    expect(duplicate.verdict).toBe('duplicate');
    expect(conflict.verdict).toBe('conflict');
    expect(secondEvent.verdict).toBe('closed');
    expect(unknown).toEqual({ verdict: 'not_found' });
    expect(await store.getCallback('d1')).toEqual(callback('evt-1', '').callback);
    expect((await store.get('d1'))?.callback?.bodySha256).toBe('aa'.repeat(32));
  });

  it('pages newest first by status with a cursor, and the state survives reopening the file', async () => {
    for (let i = 0; i < 5; i += 1) await store.create(newDelivery(`d${i}`));
    await store.transition('d3', ['awaiting_callback'], 'resolving');
    await store.close();
    store = new SqliteDeliveryStore({ path: dbPath });

    const page1 = await store.list({ status: 'awaiting_callback', limit: 2 });
    const page2 = await store.list({ status: 'awaiting_callback', limit: 2, cursor: page1.nextCursor });
    const all = await store.list();

    expect(page1.items.map((d) => d.id)).toEqual(['d4', 'd2']);
    expect(page2.items.map((d) => d.id)).toEqual(['d1', 'd0']);
    expect(page2.nextCursor).toBeUndefined();
    expect(all.items.map((d) => d.id)).toEqual(['d4', 'd3', 'd2', 'd1', 'd0']);
    await expect(store.list({ cursor: '!!' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it('stores a file list once, tracks attempts and progress, and lists pending indices', async () => {
    await store.create(newDelivery('d1'));
    const files = [0, 1, 2].map((i) => ({
      url: `https://files.example.com/${i}.bin`,
      name: `${i}.bin`,
      size: 10 * i,
      checksums: { sha256: 'ab'.repeat(32) },
    }));

    const stored = await store.setFiles('d1', files);
    const storedAgain = await store.setFiles('d1', files.slice(0, 1));
    const attempt1 = await store.startFileAttempt('d1', 1);
    const attempt2 = await store.startFileAttempt('d1', 1);
    await store.updateFile('d1', 1, {
      status: 'completed',
      bytes: 10,
      sha256: 'cd'.repeat(32),
      route: 'small',
    });
    await store.updateFile('d1', 2, { status: 'failed', error: { code: 'HTTP_STATUS', message: '404' } });

    expect(stored).toBe(true);
    expect(storedAgain).toBe(false);
    expect([attempt1, attempt2]).toEqual([1, 2]);
    expect(
      await store.listFileIndices('d1', { statuses: ['pending', 'downloading'], fromIndex: 0, limit: 10 }),
    ).toEqual([0]);
    expect(
      await store.listFileIndices('d1', { statuses: ['completed', 'failed'], fromIndex: 2, limit: 10 }),
    ).toEqual([2]);
    const delivery = await store.get('d1');
    expect(delivery?.files).toEqual([
      {
        index: 0,
        name: '0.bin',
        sourceUrl: files[0]?.url,
        size: 0,
        expected: { sha256: 'ab'.repeat(32) },
        bytes: 0,
        attempts: 0,
        status: 'pending',
      },
      {
        index: 1,
        name: '1.bin',
        sourceUrl: files[1]?.url,
        size: 10,
        expected: { sha256: 'ab'.repeat(32) },
        bytes: 10,
        sha256: 'cd'.repeat(32),
        attempts: 2,
        status: 'completed',
        route: 'small',
      },
      {
        index: 2,
        name: '2.bin',
        sourceUrl: files[2]?.url,
        size: 20,
        expected: { sha256: 'ab'.repeat(32) },
        bytes: 0,
        attempts: 0,
        status: 'failed',
        error: { code: 'HTTP_STATUS', message: '404' },
      },
    ]);
  });

  it('records the download route with the attempt, keeping it on a later attempt without one', async () => {
    // Prepare
    await store.create(newDelivery('d1'));
    await store.setFiles('d1', [{ url: 'https://files.example.com/0.bin', name: '0.bin' }]);

    // Act
    const first = await store.startFileAttempt('d1', 0, 'large');
    const second = await store.startFileAttempt('d1', 0);

    // Assess
    expect([first, second]).toEqual([1, 2]);
    expect(await store.getFile('d1', 0)).toMatchObject({
      status: 'downloading',
      attempts: 2,
      route: 'large',
    });
    await expect(store.startFileAttempt('d1', 5, 'small')).rejects.toMatchObject({
      code: 'DELIVERY_NOT_FOUND',
    });
  });

  it('reads the delivery header with its callback receipt and without the file list', async () => {
    // Prepare
    await store.create(newDelivery('d1', { label: 'header' }));
    await store.setFiles('d1', [{ url: 'https://files.example.com/0.bin', name: '0.bin' }]);
    await store.recordCallback('d1', {
      dedupeKey: 'demo:evt_1',
      bodySha256: 'AB'.repeat(32),
      receivedAt: '2026-01-01T00:00:00.000Z',
      callback: { source: { kind: 'files', files: [] } },
    });

    // Act
    const header = await store.getHeader('d1');
    const missing = await store.getHeader('nope');

    // Assess
    expect(header).toMatchObject({ id: 'd1', status: 'resolving', label: 'header' });
    expect(header?.callback).toEqual({
      dedupeKey: 'demo:evt_1',
      bodySha256: 'ab'.repeat(32),
      receivedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(header).not.toHaveProperty('files');
    expect(missing).toBeUndefined();
  });

  it('reads one file with its delivery header, without the other files', async () => {
    // Prepare
    await store.create(newDelivery('d1', { label: 'one file' }));
    await store.setFiles(
      'd1',
      [0, 1, 2].map((i) => ({ url: `https://files.example.com/${i}.bin`, name: `${i}.bin` })),
    );
    await store.transition('d1', ['awaiting_callback'], 'downloading');
    await store.updateFile('d1', 1, { bytes: 7 });

    // Act
    const found = await store.getDeliveryFile('d1', 1);
    const noFile = await store.getDeliveryFile('d1', 9);
    const noDelivery = await store.getDeliveryFile('nope', 0);

    // Assess
    expect(found?.delivery).toMatchObject({
      id: 'd1',
      providerId: 'demo',
      status: 'downloading',
      label: 'one file',
    });
    expect(found?.delivery).not.toHaveProperty('files');
    expect(found?.file).toMatchObject({
      index: 1,
      name: '1.bin',
      sourceUrl: 'https://files.example.com/1.bin',
      bytes: 7,
    });
    expect(noFile).toMatchObject({ delivery: { id: 'd1' }, file: undefined });
    expect(noDelivery).toBeUndefined();
  });

  it('keeps a task token per delivery until deleted', async () => {
    await store.create(newDelivery('d1'));
    await store.putTaskToken('d1', 'tok-1');
    const token = await store.getTaskToken('d1');
    await store.deleteTaskToken('d1');
    expect(token).toBe('tok-1');
    expect(await store.getTaskToken('d1')).toBeUndefined();
  });
});

describe('SqliteDeliveryStore: one store per file', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let dbPath: string;
  let store: SqliteDeliveryStore | undefined;

  beforeEach(async () => {
    dir = await makeTempDir();
    dbPath = join(dir.path, 'state', 'deliveries.sqlite');
  });

  afterEach(async () => {
    await store?.close();
    await dir.remove();
  });

  it('refuses a second store on the file in this process, and opens it once the first is closed', async () => {
    // Prepare
    const first = new SqliteDeliveryStore({ path: dbPath });
    await first.create(newDelivery('d1'));

    // Act
    const open = () => new SqliteDeliveryStore({ path: dbPath });

    // Assess
    expect(open).toThrow(StateDatabaseInUseError);
    expect(open).toThrow(
      expect.objectContaining({
        code: 'STATE_DB_IN_USE',
        path: dbPath,
        message: expect.stringContaining(
          `The state database ${dbPath} is in use by another downloader process`,
        ),
      }),
    );
    await first.create(newDelivery('d2'));
    await first.close();
    store = open();
    expect((await store.list()).items.map((d) => d.id)).toEqual(['d2', 'd1']);
  });

  it('refuses a store in another process while this one is open; that process opens it after close', async () => {
    // Prepare
    store = new SqliteDeliveryStore({ path: dbPath });
    await store.create(newDelivery('d1'));

    // Act
    const refused = await startStoreProcess(dbPath, 'read', 'd1').firstLine;
    await store.close();
    const opened = await startStoreProcess(dbPath, 'read', 'd1').firstLine;

    // Assess
    expect(refused).toEqual({
      error: {
        name: 'StateDatabaseInUseError',
        code: 'STATE_DB_IN_USE',
        message: expect.stringContaining(dbPath),
      },
    });
    expect(opened).toEqual({ status: 'awaiting_callback' });
  });

  it('opens the file of a process killed with SIGKILL, with everything that process committed', async () => {
    // Prepare: a child process holds the store and has committed a delivery and its transition.
    const holder = startStoreProcess(dbPath, 'hold', 'd1');
    expect(await holder.firstLine).toEqual({ holding: true });
    expect(() => new SqliteDeliveryStore({ path: dbPath })).toThrow(StateDatabaseInUseError);

    // Act
    holder.child.kill('SIGKILL');
    await holder.exited;
    store = new SqliteDeliveryStore({ path: dbPath });

    // Assess
    expect(holder.child.signalCode).toBe('SIGKILL');
    expect((await store.getHeader('d1'))?.status).toBe('failed');
  });
});
