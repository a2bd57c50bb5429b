/**
 * Finalize writes `_delivery.json` from pages of file records: the object store is handed the
 * document in chunks of about 64 KiB, never whole, at 100,000 files; the text is what
 * `JSON.stringify(report, null, 2)` gives.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSystemObjectStore } from '../../src/adapters/local/fs/FileSystemObjectStore.js';
import { SqliteDeliveryStore } from '../../src/adapters/local/sqlite/SqliteDeliveryStore.js';
import { finalizeDelivery } from '../../src/handlers/finalizeDelivery.js';
import type { TaskContext } from '../../src/handlers/TaskContext.js';
import type { ObjectStore } from '../../src/ports/ObjectStore.js';
import { makeTempDir } from '../helpers/tempDir.js';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let store: SqliteDeliveryStore;

beforeEach(async () => {
  dir = await makeTempDir('finalize-');
  store = new SqliteDeliveryStore({ path: join(dir.path, 'state.sqlite') });
});

afterEach(async () => {
  await store.close();
  await dir.remove();
});

/** The file-system store, recording the size of every chunk `writeObject` is handed. */
function recordingObjects(): { objects: ObjectStore; chunkSizes: number[] } {
  const inner = new FileSystemObjectStore(join(dir.path, 'downloads'));
  const chunkSizes: number[] = [];
  const objects: ObjectStore = {
    putObject: (key, body) => inner.putObject(key, body),
    getObject: (key) => inner.getObject(key),
    headObject: (key) => inner.headObject(key),
    hashObject: (key) => inner.hashObject(key),
    createSink: (key) => inner.createSink(key),
    targetFor: (key) => inner.targetFor(key),
    async writeObject(key, chunks) {
      async function* counted() {
        for await (const chunk of chunks) {
          chunkSizes.push(chunk.length);
          yield chunk;
        }
      }
      await inner.writeObject(key, counted());
    },
  };
  return { objects, chunkSizes };
}

async function deliveryWith(count: number): Promise<string> {
  const id = `d${count}`;
  await store.create({
    id,
    providerId: 'demo',
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2026-01-02T00:00:00.000Z',
  });
  await store.setFiles(
    id,
    Array.from({ length: count }, (_, i) => ({
      name: `dir/file-${i}.bin`,
      url: `https://files.example.com/${i}`,
      size: 10,
    })),
  );
  await store.transition(id, ['awaiting_callback'], 'downloading');
  return id;
}

function contextWith(objects: ObjectStore): TaskContext {
  return { store, objects, now: () => new Date('2026-01-01T01:00:00.000Z') } as unknown as TaskContext;
}

describe('finalizeDelivery', () => {
  it('writes the report JSON.stringify would, with every file, and sets partially_failed', async () => {
    const id = await deliveryWith(3);
    await store.updateFile(id, 0, { status: 'completed', bytes: 10, sha256: 'a'.repeat(64) });
    await store.updateFile(id, 1, { status: 'failed', error: { code: 'HTTP_STATUS', message: 'HTTP 404' } });
    await store.updateFile(id, 2, { status: 'completed', bytes: 10, sha256: 'b'.repeat(64) });
    const { objects } = recordingObjects();

    const outcome = await finalizeDelivery(contextWith(objects), { deliveryId: id });

    const text = Buffer.from((await objects.getObject(`${id}/_delivery.json`)) ?? []).toString();
    const report = JSON.parse(text) as { status: string; files: { name: string; outcome: string }[] };
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(outcome).toEqual({ status: 'partially_failed' });
    expect(report.status).toBe('partially_failed');
    expect(report.files.map((file) => [file.name, file.outcome])).toEqual([
      ['dir/file-0.bin', 'completed'],
      ['dir/file-1.bin', 'failed'],
      ['dir/file-2.bin', 'completed'],
    ]);
    expect(report.files[1]).toMatchObject({ error: { code: 'HTTP_STATUS' } });
    expect((await store.get(id))?.status).toBe('partially_failed');
  });

  it('writes an empty file list as []', async () => {
    const id = await deliveryWith(0);
    const { objects } = recordingObjects();

    await finalizeDelivery(contextWith(objects), { deliveryId: id });

    const text = Buffer.from((await objects.getObject(`${id}/_delivery.json`)) ?? []).toString();
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect(JSON.parse(text)).toMatchObject({ files: [] });
  });

  it('hands 100,000 files to the object store in chunks of about 64 KiB, never the whole document', async () => {
    const id = await deliveryWith(100_000);
    const { objects, chunkSizes } = recordingObjects();

    await finalizeDelivery(contextWith(objects), { deliveryId: id });

    const text = Buffer.from((await objects.getObject(`${id}/_delivery.json`)) ?? []).toString();
    const report = JSON.parse(text) as { status: string; files: { name: string }[] };
    expect(report.files).toHaveLength(100_000);
    expect(report.files.at(-1)?.name).toBe('dir/file-99999.bin');
    expect(report.status).toBe('failed');
    expect(text.length).toBeGreaterThan(20 * 1024 * 1024);
    expect(Math.max(...chunkSizes)).toBeLessThan(66 * 1024);
    expect(chunkSizes.reduce((sum, size) => sum + size, 0)).toBe(text.length);
  });
});
