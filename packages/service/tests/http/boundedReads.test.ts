/**
 * Read answers stay small whatever a delivery holds: the HTTP app over the real SQLite store with
 * one delivery of 20,000 files whose full list would be several megabytes (Lambda answers at
 * most 6 MB).
 */
import { join } from 'node:path';
import {
  generateStandardWebhooksSecret,
  mintDeliveryId,
  parseProviderProfile,
  resolveSecrets,
} from '@downloader/callback-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteDeliveryStore } from '../../src/adapters/local/sqlite/SqliteDeliveryStore.js';
import { createApp } from '../../src/http/createApp.js';
import { silentLogger } from '../../src/http/logger.js';
import { type RunningHttpServer, startHttpServer } from '../../src/http/startHttpServer.js';
import { makeTempDir } from '../helpers/tempDir.js';
import { RecordingEngine } from './helpers/RecordingEngine.js';

const FILES = 20_000;
/** What a page of the largest size may take: 1,000 files of ~300 bytes of JSON each. */
const MAX_PAGE_BYTES = 512 * 1024;

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let store: SqliteDeliveryStore;
let server: RunningHttpServer;
let id: string;

beforeAll(async () => {
  dir = await makeTempDir();
  store = new SqliteDeliveryStore({ path: join(dir.path, 'deliveries.sqlite') });
  const profile = resolveSecrets(
    parseProviderProfile({
      id: 'acme',
      signature: { scheme: 'standard-webhooks', secrets: [{ id: 'k1', value: { env: 'ACME_SECRET' } }] },
      files: { source: 'inline' },
      urlPolicy: { allowedHosts: ['files.example.com'] },
    }),
    { ACME_SECRET: generateStandardWebhooksSecret() },
  );
  const app = createApp({
    store,
    engine: new RecordingEngine(),
    providers: new Map([[profile.id, profile]]),
    workflow: { callbackTimeoutSeconds: 3600, maxConcurrency: 4, largeFileThreshold: 1024 * 1024 },
    logger: silentLogger,
  });
  server = await startHttpServer(app);
  id = mintDeliveryId();
  // Long names and URLs: the whole list as JSON is far over what one answer may carry.
  const padding = 'x'.repeat(120);
  await store.create({
    id,
    providerId: 'acme',
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    files: Array.from({ length: FILES }, (_, i) => ({
      url: `https://files.example.com/${padding}/${i}.bin`,
      name: `exports/${padding}/${String(i).padStart(5, '0')}.bin`,
      size: 16_384,
    })),
  });
  for (const index of [7, 12_345, 19_999]) {
    await store.updateFile(id, index, { status: 'failed', error: { code: 'HTTP_STATUS', message: '404' } });
  }
}, 60_000);

afterAll(async () => {
  await server?.close();
  await store?.close();
  await dir?.remove();
});

async function getJson(
  path: string,
): Promise<{ status: number; bytes: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`);
  const text = await res.text();
  return {
    status: res.status,
    bytes: Buffer.byteLength(text),
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

describe(`reads of a delivery of ${FILES.toLocaleString('en')} files`, () => {
  it('GET /deliveries/{id} answers the counts and one page of files, a few tens of KB', async () => {
    const answer = await getJson(`/deliveries/${id}`);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      counts: { files: FILES, pending: FILES - 3, failed: 3, bytesExpected: FILES * 16_384, sizeUnknown: 0 },
      files: { nextCursor: expect.any(String) },
    });
    expect((answer.body.files as { items: unknown[] }).items).toHaveLength(100);
    expect(answer.bytes).toBeLessThan(64 * 1024);
  });

  it('GET /deliveries answers the summary without files', async () => {
    const answer = await getJson('/deliveries');

    expect(answer.status).toBe(200);
    expect(answer.body.items).toEqual([
      expect.objectContaining({ id, counts: expect.objectContaining({ files: FILES }) }),
    ]);
    expect(answer.bytes).toBeLessThan(4 * 1024);
  });

  it('GET /deliveries/{id}/files pages through every file once, each page bounded', async () => {
    // Act
    const seen: number[] = [];
    const pageBytes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string =
        cursor === null ? 'limit=1000' : `limit=1000&cursor=${encodeURIComponent(cursor)}`;
      const answer = await getJson(`/deliveries/${id}/files?${query}`);
      expect(answer.status).toBe(200);
      seen.push(...(answer.body.items as { index: number }[]).map((file) => file.index));
      pageBytes.push(answer.bytes);
      cursor = answer.body.nextCursor as string | null;
    } while (cursor !== null);
    const failed = await getJson(`/deliveries/${id}/files?status=failed`);

    // Assess
    expect(seen).toEqual(Array.from({ length: FILES }, (_, i) => i));
    expect(pageBytes).toHaveLength(20);
    expect(Math.max(...pageBytes)).toBeLessThan(MAX_PAGE_BYTES);
    // The list in one answer would have been over 5 MB.
    expect(pageBytes.reduce((sum, bytes) => sum + bytes, 0)).toBeGreaterThan(5_000_000);
    expect((failed.body.items as { index: number }[]).map((file) => file.index)).toEqual([7, 12_345, 19_999]);
  });

  it('answers 409 for a reused Idempotency-Key with a different request (judged by the store)', async () => {
    const register = (label: string) =>
      fetch(`${server.url}/deliveries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'order-9' },
        body: JSON.stringify({ provider: 'acme', label }),
      });
    expect((await register('a')).status).toBe(201);
    expect((await register('a')).status).toBe(201);
    const conflict = await register('b');
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: { code: 'idempotency_conflict' } });
  });
});
