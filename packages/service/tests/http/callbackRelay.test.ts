/**
 * A callback stored while the engine could not be told (SendTaskSuccess failed): the provider is
 * told to send it again, and its duplicate hands the waiting task its token exactly once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signCallback } from './helpers/signCallback.js';
import { startTestApp, type TestApp } from './helpers/startTestApp.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

const body = JSON.stringify({ files: [{ url: 'https://files.example.com/a.csv', name: 'a.csv' }] });

async function registerWaiting(): Promise<{ id: string; callbackUrl: string }> {
  const res = await fetch(`${t.server.url}/deliveries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'acme' }),
  });
  const registered = (await res.json()) as { id: string; callbackUrl: string };
  await t.store.putTaskToken(registered.id, `token-${registered.id}`);
  t.engine.waiting.add(`token-${registered.id}`);
  return registered;
}

async function post(url: string, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('callback relay when SendTaskSuccess fails', () => {
  it('answers 503 callback_not_relayed with the callback stored, and the duplicate re-sends the token once', async () => {
    // Prepare
    const { id, callbackUrl } = await registerWaiting();
    const headers = signCallback(t.secret, body, { msgId: 'msg_1' });
    t.engine.failures = 1;

    // Act
    const first = await post(callbackUrl, headers);
    const retried = await post(callbackUrl, headers);
    const third = await post(callbackUrl, headers);

    // Assess: stored at once; the token reached the execution on the retry, and only then.
    expect(first.status).toBe(503);
    expect((first.body.error as { code: string }).code).toBe('callback_not_relayed');
    expect(retried).toEqual({ status: 200, body: { id, status: 'resolving', duplicate: true } });
    expect(third.status).toBe(200);
    expect(t.engine.successes).toEqual([{ token: `token-${id}`, output: { deliveryId: id } }]);
    expect(await t.store.getTaskToken(id)).toBeUndefined();
  });

  it('forgets the token once it was sent, so a duplicate after a good first send sends nothing', async () => {
    // Prepare
    const { id, callbackUrl } = await registerWaiting();
    const headers = signCallback(t.secret, body, { msgId: 'msg_2' });

    // Act
    const first = await post(callbackUrl, headers);
    const duplicate = await post(callbackUrl, headers);

    // Assess
    expect([first.status, duplicate.status]).toEqual([202, 200]);
    expect(t.engine.successes).toHaveLength(1);
    expect(await t.store.getTaskToken(id)).toBeUndefined();
  });

  it('keeps answering 503 while the engine stays unreachable, and the token stays for a later relay', async () => {
    // Prepare
    const { id, callbackUrl } = await registerWaiting();
    const headers = signCallback(t.secret, body, { msgId: 'msg_3' });
    t.engine.failures = 2;

    // Act
    const first = await post(callbackUrl, headers);
    const second = await post(callbackUrl, headers);

    // Assess
    expect([first.status, second.status]).toEqual([503, 503]);
    expect(t.engine.successes).toEqual([]);
    expect(await t.store.getTaskToken(id)).toBe(`token-${id}`);
  });
});
