import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDeliveryStore } from '../../src/adapters/local/sqlite/SqliteDeliveryStore.js';
import { StateDatabaseInUseError } from '../../src/adapters/local/sqlite/StateDatabaseInUseError.js';
import type { NewDelivery } from '../../src/ports/DeliveryStore.js';
import { describeDeliveryStore } from '../contract/describeDeliveryStore.js';
import { makeTempDir } from '../helpers/tempDir.js';
import { SCHEMA_V1_SQL } from './helpers/schemaV1.js';

const T0 = '2026-11-27T22:00:00.000Z';
const STORE_PROCESS = join(import.meta.dirname, 'helpers', 'storeProcess.ts');

describeDeliveryStore('SqliteDeliveryStore', async () => {
  const dir = await makeTempDir();
  const clock = { now: new Date('2026-11-27T09:00:00.000Z') };
  const store = new SqliteDeliveryStore({
    path: join(dir.path, 'state', 'deliveries.sqlite'),
    now: () => clock.now,
  });
  return {
    store,
    clock,
    async dispose() {
      await store.close();
      await dir.remove();
    },
  };
});

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

describe('SqliteDeliveryStore: the file', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let dbPath: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    dbPath = join(dir.path, 'state', 'deliveries.sqlite');
  });

  afterEach(async () => {
    await dir.remove();
  });

  it('keeps deliveries, files, counts and the callback body across reopening', async () => {
    // Prepare
    const first = new SqliteDeliveryStore({ path: dbPath });
    await first.create(
      newDelivery('d1', { files: [{ url: 'https://files.example.com/a', name: 'a', size: 3 }] }),
    );
    await first.recordCallback('d1', {
      dedupeKey: 'demo:1',
      bodySha256: 'ab'.repeat(32),
      receivedAt: T0,
      callback: { source: { kind: 'list-api', url: 'https://files.example.com/list' } },
    });
    await first.updateFile('d1', 0, { status: 'completed', bytes: 3 });
    await first.close();

    // Act
    const second = new SqliteDeliveryStore({ path: dbPath });

    // Assess
    expect(await second.get('d1')).toMatchObject({
      status: 'resolving',
      counts: { files: 1, completed: 1, bytesDone: 3, bytesExpected: 3 },
    });
    expect(await second.getCallback('d1')).toEqual({
      source: { kind: 'list-api', url: 'https://files.example.com/list' },
    });
    expect((await second.listFiles('d1')).items).toMatchObject([{ name: 'a', status: 'completed' }]);
    await second.close();
  });

  it('upgrades a version 1 file: counts filled from the files, the callback body moved out of the delivery row', async () => {
    // Prepare: a file as the version 1 store left it.
    const v1Path = join(dir.path, 'v1.sqlite');
    const old = new Database(v1Path);
    old.exec(SCHEMA_V1_SQL);
    old
      .prepare(
        `INSERT INTO deliveries (id, provider_id, status, created_at, expires_at, updated_at, request_hash, callback_json)
         VALUES ('d1', 'demo', 'downloading', ?, ?, ?, 'h', ?)`,
      )
      .run(T0, T0, T0, JSON.stringify({ source: { kind: 'manifest', url: 'https://files.example.com/m' } }));
    const insert = old.prepare(
      `INSERT INTO files (delivery_id, idx, name, source_url, size, bytes, status) VALUES ('d1', ?, ?, 'https://x/', ?, ?, ?)`,
    );
    insert.run(0, 'a', 10, 10, 'completed');
    insert.run(1, 'b', null, 4, 'downloading');
    insert.run(2, 'c', 7, 0, 'pending');
    old.pragma('user_version = 1');
    old.close();

    // Act
    const store = new SqliteDeliveryStore({ path: v1Path });

    // Assess
    expect((await store.get('d1'))?.counts).toEqual({
      files: 3,
      pending: 1,
      downloading: 1,
      completed: 1,
      failed: 0,
      bytesExpected: 17,
      sizeUnknown: 1,
      bytesDone: 14,
    });
    expect(await store.getCallback('d1')).toEqual({
      source: { kind: 'manifest', url: 'https://files.example.com/m' },
    });
    await store.updateFile('d1', 1, { status: 'completed', size: 4 });
    expect((await store.get('d1'))?.counts).toMatchObject({ completed: 2, downloading: 0, sizeUnknown: 0 });
    await store.close();
    const raw = new Database(v1Path);
    expect(raw.pragma('user_version', { simple: true })).toBe(2);
    const columns = (raw.prepare('PRAGMA table_info(deliveries)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(columns).not.toContain('callback_json');
    raw.close();
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
    expect((await store.get('d1'))?.status).toBe('failed');
  });
});
