import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/startTestApp.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

async function register(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.server.url}/deliveries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('POST /deliveries', () => {
  it('answers 201 with an unguessable callback URL and starts one execution named after the delivery', async () => {
    const res = await register({ provider: 'acme', projectId: 'p-42', label: 'weekly' });

    expect(res.status).toBe(201);
    const id = String(res.body.id);
    expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(res.body).toEqual({
      id,
      callbackUrl: `${t.server.url}/callbacks/${id}`,
      status: 'awaiting_callback',
      expiresAt: expect.any(String),
    });
    expect(Date.parse(String(res.body.expiresAt)) - Date.now()).toBeGreaterThan(3500_000);
    expect(t.engine.started).toEqual([
      {
        name: id,
        input: {
          deliveryId: id,
          resumeFrom: 'await',
          callbackTimeoutSeconds: 3600,
          maxConcurrency: 4,
          largeFileThreshold: 1024 * 1024,
        },
      },
    ]);
  });

  it('returns the first delivery again for a repeated Idempotency-Key, and 409 when the request differs', async () => {
    const first = await register({ provider: 'acme', label: 'x' }, { 'idempotency-key': 'order-7' });
    const again = await register({ provider: 'acme', label: 'x' }, { 'idempotency-key': 'order-7' });
    const different = await register({ provider: 'acme', label: 'y' }, { 'idempotency-key': 'order-7' });

    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await t.store.list()).items.length).toBe(1);
    expect(t.engine.started).toHaveLength(1);
    expect(different.status).toBe(409);
    expect(different.body).toMatchObject({ error: { code: 'idempotency_conflict' } });
  });

  it('stores files given at registration, sanitised and checked against the URL policy', async () => {
    const ok = await register({
      provider: 'acme',
      files: [{ url: 'https://files.example.com/x/../report.csv', name: 'reports/2026/report.csv' }],
    });
    const blocked = await register({
      provider: 'acme',
      files: [{ url: 'http://169.254.169.254/latest/meta-data' }],
    });
    const escaping = await register({
      provider: 'acme',
      files: [{ url: 'https://files.example.com/a', name: '../../etc/passwd' }],
    });

    expect(ok.status).toBe(201);
    const stored = await t.store.listFiles(String(ok.body.id));
    expect(stored.items.map((file) => [file.name, file.sourceUrl])).toEqual([
      ['reports/2026/report.csv', 'https://files.example.com/report.csv'],
    ]);
    expect(escaping.status).toBe(400);
    expect(escaping.body).toMatchObject({ error: { code: 'invalid_request' } });
    expect(blocked.status).toBe(400);
    expect(blocked.body).toMatchObject({ error: { code: 'invalid_request' } });
    expect((await t.store.list()).items.length).toBe(1);
  });

  it('refuses bad registrations with a readable 4xx and creates nothing', async () => {
    const unknownProvider = await register({ provider: 'nobody' });
    const extraField = await register({ provider: 'acme', colour: 'blue' });
    const notJson = await register('{provider:');
    const wrongType = await fetch(`${t.server.url}/deliveries`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"provider":"acme"}',
    });

    expect(unknownProvider.status).toBe(400);
    expect(unknownProvider.body).toMatchObject({ error: { code: 'unknown_provider' } });
    expect(extraField.status).toBe(400);
    expect(extraField.body).toMatchObject({
      error: { code: 'invalid_request', issues: [{ path: 'colour' }] },
    });
    expect(notJson.status).toBe(400);
    expect(wrongType.status).toBe(415);
    expect((await t.store.list()).items.length).toBe(0);
    expect(t.engine.started).toHaveLength(0);
  });
});

describe('GET routes', () => {
  it('GET /deliveries/{id} shows the status, the counts and the first page of files with their progress', async () => {
    const created = await register({
      provider: 'acme',
      files: [{ url: 'https://files.example.com/a.bin', size: 100 }],
    });
    const id = String(created.body.id);
    await t.store.updateFile(id, 0, { bytes: 40, status: 'downloading' });

    const res = await fetch(`${t.server.url}/deliveries/${id}`);
    const missing = await fetch(`${t.server.url}/deliveries/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id,
      provider: 'acme',
      status: 'awaiting_callback',
      counts: {
        files: 1,
        pending: 0,
        downloading: 1,
        completed: 0,
        failed: 0,
        bytesExpected: 100,
        sizeUnknown: 0,
        bytesDone: 40,
      },
      progress: { files: 1, completed: 0, bytes: 40, totalBytes: 100 },
      files: {
        items: [
          {
            index: 0,
            name: 'a.bin',
            sourceUrl: 'https://files.example.com/a.bin',
            size: 100,
            bytes: 40,
            sha256: null,
            attempts: 0,
            status: 'downloading',
            error: null,
          },
        ],
        nextCursor: null,
      },
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'delivery_not_found' } });
  });

  it('GET /deliveries filters by status and pages with a cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(String((await register({ provider: 'acme', label: `d${i}` })).body.id));
    await t.store.transition(ids[0] ?? '', ['awaiting_callback'], 'completed');

    const page1 = (await (
      await fetch(`${t.server.url}/deliveries?status=awaiting_callback&limit=1`)
    ).json()) as {
      items: { id: string }[];
      nextCursor: string | null;
    };
    const page2 = (await (
      await fetch(`${t.server.url}/deliveries?status=awaiting_callback&limit=1&cursor=${page1.nextCursor}`)
    ).json()) as { items: { id: string }[]; nextCursor: string | null };
    const completed = (await (await fetch(`${t.server.url}/deliveries?status=completed`)).json()) as {
      items: { id: string }[];
    };
    const bad = await fetch(`${t.server.url}/deliveries?status=done`);

    expect([...page1.items, ...page2.items].map((d) => d.id)).toEqual([ids[2], ids[1]]);
    expect(page2.nextCursor).toBeNull();
    expect(completed.items.map((d) => d.id)).toEqual([ids[0]]);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_query' } });
  });

  it('GET /deliveries lists counts without files; a bad limit or cursor is a 400 with the reason', async () => {
    const created = await register({ provider: 'acme', files: [{ url: 'https://files.example.com/a.bin' }] });
    const list = (await (await fetch(`${t.server.url}/deliveries`)).json()) as {
      items: Record<string, unknown>[];
    };
    const badLimit = await fetch(`${t.server.url}/deliveries?limit=0`);
    const badCursor = await fetch(`${t.server.url}/deliveries?cursor=not-a-cursor`);

    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      id: created.body.id,
      counts: { files: 1, pending: 1, sizeUnknown: 1 },
    });
    expect(list.items[0]).not.toHaveProperty('files');
    expect(badLimit.status).toBe(400);
    expect(await badLimit.json()).toMatchObject({
      error: { code: 'invalid_query', message: expect.stringContaining('limit') },
    });
    expect(badCursor.status).toBe(400);
    expect(await badCursor.json()).toMatchObject({
      error: { code: 'invalid_query', message: expect.stringContaining('cursor') },
    });
  });

  it('GET /deliveries/{id}/files pages the files by status; bad queries are 400s, unknown deliveries 404', async () => {
    // Prepare: five files, two failed.
    const created = await register({
      provider: 'acme',
      files: [0, 1, 2, 3, 4].map((i) => ({ url: `https://files.example.com/${i}.bin` })),
    });
    const id = String(created.body.id);
    await t.store.updateFile(id, 1, { status: 'failed', error: { code: 'HTTP_STATUS', message: '404' } });
    await t.store.updateFile(id, 4, { status: 'failed', error: { code: 'HTTP_STATUS', message: '404' } });
    const get = async (query: string) => {
      const res = await fetch(`${t.server.url}/deliveries/${id}/files${query}`);
      return {
        status: res.status,
        body: (await res.json()) as { items: { index: number }[]; nextCursor: string | null },
      };
    };

    // Act
    const first = await get('?limit=2');
    const second = await get(`?limit=2&cursor=${encodeURIComponent(String(first.body.nextCursor))}`);
    const failed = await get('?status=failed');
    const both = await get('?status=failed,pending&limit=1000');
    const bad = await Promise.all(
      ['?status=done', '?limit=1001', '?limit=1.5', '?limit=abc', '?cursor=xyz'].map(get),
    );
    const missing = await fetch(`${t.server.url}/deliveries/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/files`);

    // Assess
    expect(first.body.items.map((file) => file.index)).toEqual([0, 1]);
    expect(second.body.items.map((file) => file.index)).toEqual([2, 3]);
    expect(failed.body).toMatchObject({ items: [{ index: 1 }, { index: 4 }], nextCursor: null });
    expect(both.body.items).toHaveLength(5);
    expect(bad.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400]);
    for (const answer of bad) expect(answer.body).toMatchObject({ error: { code: 'invalid_query' } });
    expect(missing.status).toBe(404);
  });

  it('GET /healthz answers ok; unknown routes answer a JSON 404', async () => {
    const health = await fetch(`${t.server.url}/healthz`);
    const nothing = await fetch(`${t.server.url}/nope`);

    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(nothing.status).toBe(404);
    expect(await nothing.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('GET / serves the dashboard page', async () => {
    const res = await fetch(`${t.server.url}/`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('<main id="deliveries">');
  });
});
