import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDeliveryStore } from '../../src/adapters/local/sqlite/SqliteDeliveryStore.js';
import type { NewDelivery } from '../../src/ports/DeliveryStore.js';
import { makeTempDir } from '../helpers/tempDir.js';

const T0 = '2026-11-27T22:00:00.000Z';
const run = promisify(execFile);
const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');

function newDelivery(id: string): NewDelivery {
  return { id, providerId: 'demo', createdAt: T0, expiresAt: '2026-11-28T22:00:00.000Z' };
}

/** Tries to change a delivery's status from a separate Node process, as another program on the file would. */
async function setStatusFromAnotherProcess(dbPath: string, id: string, status: string): Promise<void> {
  const script = `
    const Database = require(${JSON.stringify(betterSqlite3)});
    const db = new Database(${JSON.stringify(dbPath)}, { timeout: 0 });
    db.prepare('UPDATE deliveries SET status = ? WHERE id = ?').run(${JSON.stringify(status)}, ${JSON.stringify(id)});
    db.close();`;
  await run(process.execPath, ['-e', script]);
}

describe('SqliteDeliveryStore.get (cached headers)', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let dbPath: string;
  let store: SqliteDeliveryStore;

  beforeEach(async () => {
    dir = await makeTempDir();
    dbPath = join(dir.path, 'state', 'deliveries.sqlite');
    store = new SqliteDeliveryStore({ path: dbPath });
    await store.create(newDelivery('d1'));
  });

  afterEach(async () => {
    await store.close();
    await dir.remove();
  });

  it('sees every write of the store itself, whichever method made it', async () => {
    // Prepare: read once so the header is cached.
    expect((await store.get('d1'))?.status).toBe('awaiting_callback');

    // Act
    await store.recordCallback('d1', {
      eventId: 'evt_1',
      dedupeKey: 'demo/evt_1',
      bodySha256: 'ab'.repeat(32),
      receivedAt: T0,
      callback: { source: { kind: 'files', files: [] } },
    });
    const afterCallback = await store.get('d1');
    await store.transition('d1', ['resolving'], 'downloading');
    const afterTransition = await store.get('d1');

    // Assess
    expect(afterCallback).toMatchObject({ status: 'resolving', callback: { dedupeKey: 'demo/evt_1' } });
    expect(afterTransition?.status).toBe('downloading');
  });

  it('cannot be bypassed: another connection, in this process or another, is refused a write', async () => {
    // Prepare
    expect((await store.get('d1'))?.status).toBe('awaiting_callback');
    const other = new Database(dbPath, { timeout: 0 });

    // Act
    const writeHere = () => other.prepare("UPDATE deliveries SET status = 'failed' WHERE id = 'd1'").run();
    const writeElsewhere = setStatusFromAnotherProcess(dbPath, 'd1', 'callback_timed_out');

    // Assess: both refused, and the cached header is still what the file holds.
    expect(writeHere).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    other.close();
    await expect(writeElsewhere).rejects.toThrow(/database is locked/);
    expect((await store.get('d1'))?.status).toBe('awaiting_callback');
    await store.close();
    store = new SqliteDeliveryStore({ path: dbPath });
    expect((await store.get('d1'))?.status).toBe('awaiting_callback');
  });

  it('finds a delivery created after an earlier miss, and hands out a header no caller can change', async () => {
    // Prepare
    expect(await store.get('d2')).toBeUndefined();

    // Act
    await store.create(newDelivery('d2'));
    const header = await store.get('d2');

    // Assess
    expect(header?.id).toBe('d2');
    expect(Object.isFrozen(header)).toBe(true);
  });
});
