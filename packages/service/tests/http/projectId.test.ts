import { afterEach, describe, expect, it } from 'vitest';
import { signCallback } from './helpers/signCallback.js';
import { startTestApp, type TestApp } from './helpers/startTestApp.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function start(files: Record<string, unknown>): Promise<TestApp> {
  t = await startTestApp({ files, allowedHosts: ['files.example.com', 'api.example.com'] });
  return t;
}

async function register(app: TestApp, projectId?: string): Promise<{ id: string; callbackUrl: string }> {
  const res = await fetch(`${app.server.url}/deliveries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'acme', ...(projectId === undefined ? {} : { projectId }) }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { id: string; callbackUrl: string };
  await app.store.putTaskToken(body.id, `token-${body.id}`);
  app.engine.waiting.add(`token-${body.id}`);
  return body;
}

async function post(app: TestApp, url: string, body: string) {
  const res = await fetch(url, { method: 'POST', headers: signCallback(app.secret, body), body });
  return {
    status: res.status,
    body: (await res.json()) as { error?: { code: string; message: string; issues?: unknown } },
  };
}

const listApi = {
  source: 'list-api',
  listUrl: 'https://api.example.com/projects',
  projectIdField: 'project.id',
};

describe('callback project id against the registration', () => {
  it('refuses a callback naming another project with 400 project_mismatch and changes nothing', async () => {
    const app = await start(listApi);
    const { id, callbackUrl } = await register(app, 'p-42');
    const before = await app.store.get(id);

    const res = await post(app, callbackUrl, JSON.stringify({ project: { id: 'p-43' } }));

    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('project_mismatch');
    expect(res.body.error?.message).toContain('project.id');
    expect(res.body.error?.issues).toEqual([
      { path: 'project.id', message: 'not the project this delivery was registered for' },
    ]);
    // Still waiting for its callback: no record, no task completed.
    const after = await app.store.get(id);
    expect(after).toEqual(before);
    expect(after?.status).toBe('awaiting_callback');
    expect(await app.store.getCallback(id)).toBeUndefined();
    expect(app.engine.successes).toEqual([]);
    // The right project is still accepted afterwards.
    expect((await post(app, callbackUrl, JSON.stringify({ project: { id: 'p-42' } }))).status).toBe(202);
  });

  it('asks the list API for the registered project when the callback names it (numbers compare as text)', async () => {
    const app = await start(listApi);
    const { id, callbackUrl } = await register(app, '42');

    const res = await post(app, callbackUrl, JSON.stringify({ project: { id: 42 } }));

    expect(res.status).toBe(202);
    expect(await app.store.getCallback(id)).toEqual({
      source: { kind: 'list-api', url: 'https://api.example.com/projects?projectID=42' },
    });
  });

  it('checks the project of an inline list when the profile says where it is', async () => {
    const app = await start({ source: 'inline', projectIdField: '/meta/project' });
    const { id, callbackUrl } = await register(app, 'alpha');
    const files = [{ url: 'https://files.example.com/a.csv' }];

    const wrong = await post(app, callbackUrl, JSON.stringify({ meta: { project: 'beta' }, files }));
    const missing = await post(app, callbackUrl, JSON.stringify({ files }));

    expect(wrong.status).toBe(400);
    expect(wrong.body.error?.code).toBe('project_mismatch');
    expect(missing.status).toBe(400);
    expect(missing.body.error?.code).toBe('invalid_payload');
    expect((await app.store.get(id))?.status).toBe('awaiting_callback');
    expect((await post(app, callbackUrl, JSON.stringify({ meta: { project: 'alpha' }, files }))).status).toBe(
      202,
    );
  });

  it('accepts any project when the registration names none', async () => {
    const app = await start(listApi);
    const { id, callbackUrl } = await register(app);

    expect((await post(app, callbackUrl, JSON.stringify({ project: { id: 'whatever' } }))).status).toBe(202);
    expect(await app.store.getCallback(id)).toEqual({
      source: { kind: 'list-api', url: 'https://api.example.com/projects?projectID=whatever' },
    });
  });
});
