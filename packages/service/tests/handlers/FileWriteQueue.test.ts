/** FileWriteQueue: the window's store writes, gathered and written in order. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDeliveryStore } from '../../src/adapters/local/sqlite/SqliteDeliveryStore.js';
import { FileWriteQueue } from '../../src/handlers/batch/FileWriteQueue.js';
import { makeTempDir } from '../helpers/tempDir.js';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let store: SqliteDeliveryStore;
let calls: number;

beforeEach(async () => {
  dir = await makeTempDir('write-queue-');
  store = new SqliteDeliveryStore({ path: join(dir.path, 'state.sqlite') });
  await store.create({
    id: 'd1',
    providerId: 'demo',
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2026-01-02T00:00:00.000Z',
  });
  await store.setFiles(
    'd1',
    Array.from({ length: 300 }, (_, i) => ({ name: `f${i}`, url: `https://files.example.com/${i}` })),
  );
  calls = 0;
  const updateFiles = store.updateFiles.bind(store);
  store.updateFiles = (id, updates) => {
    calls += 1;
    return updateFiles(id, updates);
  };
});

afterEach(async () => {
  await store.close().catch(() => undefined);
  await dir.remove();
});

describe('FileWriteQueue', () => {
  it('writes 600 updates of 300 files in three store calls, in order: every file started once, then completed', async () => {
    const queue = new FileWriteQueue(store, 'd1', { maxItems: 256, maxDelayMs: 1000 });

    for (let i = 0; i < 300; i += 1) queue.add({ index: i, patch: { route: 'small' }, addAttempt: true });
    for (let i = 0; i < 300; i += 1) queue.add({ index: i, patch: { status: 'completed', bytes: 7 } });
    await queue.drain();

    const header = await store.get('d1');
    const last = await store.getFile('d1', 299);
    expect(calls).toBe(3);
    expect(header?.counts).toMatchObject({ files: 300, completed: 300, downloading: 0, bytesDone: 2100 });
    expect(last).toMatchObject({ status: 'completed', attempts: 1, route: 'small', bytes: 7 });
  });

  it('writes a lone update after its delay, without a drain', async () => {
    const queue = new FileWriteQueue(store, 'd1', { maxDelayMs: 5 });

    queue.add({ index: 3, patch: {}, addAttempt: true });
    for (let i = 0; i < 100 && (await store.getFile('d1', 3))?.status !== 'downloading'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    expect(await store.getFile('d1', 3)).toMatchObject({ status: 'downloading', attempts: 1 });
    expect(calls).toBe(1);
  });

  it('rethrows a failed write from drain and from the next add, and writes nothing after it', async () => {
    const queue = new FileWriteQueue(store, 'd1', { maxDelayMs: 1000 });
    queue.add({ index: 0, patch: { status: 'completed' } });
    await store.close();

    const drained = await queue.drain().then(
      () => 'resolved',
      () => 'rejected',
    );

    expect(drained).toBe('rejected');
    expect(() => queue.add({ index: 1, patch: { status: 'completed' } })).toThrow();
  });
});
