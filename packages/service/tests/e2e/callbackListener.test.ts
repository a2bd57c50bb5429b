import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2e, startE2e } from './startE2eService.js';

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e(
    { smallFiles: 2, smallFileBytes: 4096, largeFileBytes: 8192 },
    {
      callbacks: { host: '127.0.0.1', port: 0 },
    },
  );
});
afterAll(async () => {
  await e2e?.close();
});

describe('callbacks-only listener (server.callbacks)', () => {
  it('hands out callback URLs on the callback listener, which takes callbacks but not registrations, reads or the dashboard', async () => {
    const callbackBase = e2e.service.callbackServer?.url ?? '';
    const { id, callbackUrl } = await e2e.register();

    const registration = await fetch(`${callbackBase}/deliveries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'demo' }),
    });
    const read = await fetch(`${callbackBase}/deliveries/${id}`);
    const dashboard = await fetch(`${callbackBase}/`);
    const health = await fetch(`${callbackBase}/healthz`);
    const accepted = await e2e.provider.sendCallback(callbackUrl, e2e.secret);

    expect(callbackBase).not.toBe(e2e.service.url);
    expect(callbackUrl).toBe(`${callbackBase}/callbacks/${id}`);
    expect([registration.status, read.status, dashboard.status, health.status]).toEqual([404, 404, 404, 200]);
    expect(accepted.status).toBe(202);
    expect((await e2e.settle(id)).status).toBe('completed');
  });
});
