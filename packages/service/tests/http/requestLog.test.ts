import { afterEach, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/http/logger.js';
import { signCallback } from './helpers/signCallback.js';
import { startTestApp, type TestApp } from './helpers/startTestApp.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
});

describe('structured logs', () => {
  it('writes one JSON line per request with the delivery id, and never the signature or the secret', async () => {
    const lines: string[] = [];
    t = await startTestApp({ logger: createJsonLogger((line) => lines.push(line)) });
    const res = await fetch(`${t.server.url}/deliveries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'acme' }),
    });
    const { id, callbackUrl } = (await res.json()) as { id: string; callbackUrl: string };
    const body = JSON.stringify({ files: [] });
    const headers = signCallback(t.secret, body);
    await fetch(callbackUrl, { method: 'POST', headers, body });

    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toContainEqual(
      expect.objectContaining({
        level: 'info',
        msg: 'request',
        method: 'POST',
        route: '/deliveries',
        status: 201,
      }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({ msg: 'request', route: '/callbacks/:id', status: 202, deliveryId: id }),
    );
    expect(records).toContainEqual(expect.objectContaining({ msg: 'callback accepted', deliveryId: id }));
    const all = lines.join('');
    expect(all).not.toContain(headers['webhook-signature']);
    expect(all).not.toContain(t.secret);
  });
});
