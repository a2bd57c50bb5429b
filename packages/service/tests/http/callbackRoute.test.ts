import { mintDeliveryId } from '@downloader/callback-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exchangeRaw, rawPost } from './helpers/exchangeRaw.js';
import { postChunked } from './helpers/postChunked.js';
import { postRawHeaders } from './helpers/postRawHeaders.js';
import { signCallback } from './helpers/signCallback.js';
import { startTestApp, type TestApp } from './helpers/startTestApp.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

async function register(): Promise<{ id: string; callbackUrl: string }> {
  const res = await fetch(`${t.server.url}/deliveries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'acme', label: 'nightly export' }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { id: string; callbackUrl: string };
  // The execution is waiting for this delivery's callback.
  await t.store.putTaskToken(body.id, `token-${body.id}`);
  t.engine.waiting.add(`token-${body.id}`);
  return body;
}

const filesBody = JSON.stringify({
  files: [
    { url: 'https://files.example.com/a.csv', name: 'a.csv', size: 10 },
    { url: 'https://files.example.com/dir/b.bin' },
  ],
});

async function post(url: string, headers: Record<string, string>, body: string | Uint8Array) {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

describe('POST /callbacks/{id}', () => {
  it('accepts a signed callback with 202, records it and completes the waiting task; the normalised file list is stored', async () => {
    const { id, callbackUrl } = await register();

    const res = await post(callbackUrl, signCallback(t.secret, filesBody, { msgId: 'msg_1' }), filesBody);

    expect(res.status).toBe(202);
    expect((await t.store.get(id))?.status).toBe('resolving');
    expect((await t.store.get(id))?.callback?.eventId).toBe('msg_1');
    expect(t.engine.successes).toEqual([{ token: `token-${id}`, output: { deliveryId: id } }]);
    expect(await t.store.getCallback(id)).toEqual({
      source: {
        kind: 'files',
        files: [
          { url: 'https://files.example.com/a.csv', name: 'a.csv', size: 10 },
          { url: 'https://files.example.com/dir/b.bin', name: 'b.bin' },
        ],
      },
    });
  });

  it('answers a repeated identical callback with 200 and changes nothing', async () => {
    const { id, callbackUrl } = await register();
    const headers = signCallback(t.secret, filesBody, { msgId: 'msg_dup' });
    expect((await post(callbackUrl, headers, filesBody)).status).toBe(202);
    const after = await t.store.get(id);

    const again = await post(callbackUrl, headers, filesBody);

    expect(again.status).toBe(200);
    expect(await t.store.get(id)).toEqual(after);
    expect(t.engine.successes).toHaveLength(1);
  });

  it('refuses the same event id with a different body with 409 callback_conflict', async () => {
    const { callbackUrl } = await register();
    await post(callbackUrl, signCallback(t.secret, filesBody, { msgId: 'msg_same' }), filesBody);
    const other = JSON.stringify({ files: [{ url: 'https://files.example.com/c.csv' }] });

    const res = await post(callbackUrl, signCallback(t.secret, other, { msgId: 'msg_same' }), other);

    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('callback_conflict');
  });

  it('refuses a second, different callback after one was accepted with 410', async () => {
    const { callbackUrl } = await register();
    await post(callbackUrl, signCallback(t.secret, filesBody, { msgId: 'msg_a' }), filesBody);

    const res = await post(callbackUrl, signCallback(t.secret, filesBody, { msgId: 'msg_b' }), filesBody);

    expect(res.status).toBe(410);
    expect(res.body.error?.code).toBe('delivery_finished');
  });

  it('refuses a forged signature with 401 bad_signature and leaves the delivery waiting', async () => {
    const { id, callbackUrl } = await register();
    const forger = 'whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=';

    const res = await post(callbackUrl, signCallback(forger, filesBody), filesBody);

    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe('bad_signature');
    expect((await t.store.get(id))?.status).toBe('awaiting_callback');
    expect(t.engine.successes).toHaveLength(0);
  });

  it('refuses a replayed callback signed an hour ago with 401 stale', async () => {
    const { id, callbackUrl } = await register();
    const old = new Date(Date.now() - 3600_000);

    const res = await post(callbackUrl, signCallback(t.secret, filesBody, { timestamp: old }), filesBody);

    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe('stale');
    expect((await t.store.get(id))?.status).toBe('awaiting_callback');
  });

  it('refuses a callback without signature headers with 401 missing_header', async () => {
    const { callbackUrl } = await register();

    const res = await post(callbackUrl, { 'content-type': 'application/json' }, filesBody);

    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe('missing_header');
  });

  it('answers 404 for an unknown or malformed delivery id', async () => {
    const unknown = await post(
      `${t.server.url}/callbacks/${mintDeliveryId()}`,
      signCallback(t.secret, filesBody),
      filesBody,
    );
    const junk = await post(
      `${t.server.url}/callbacks/..%2F..%2Fetc`,
      signCallback(t.secret, filesBody),
      filesBody,
    );

    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('delivery_not_found');
    expect(junk.status).toBe(404);
  });

  it('refuses a body over the provider cap with 413, whether or not Content-Length announces it', async () => {
    const { id, callbackUrl } = await register();
    const big = JSON.stringify({ files: [], pad: 'x'.repeat(5000) });

    const declared = await post(callbackUrl, signCallback(t.secret, big), big);
    const chunked = await postChunked(
      callbackUrl,
      signCallback(t.secret, big),
      new TextEncoder().encode('x'.repeat(1024)),
      64,
    );

    expect(declared.status).toBe(413);
    expect(declared.body.error?.code).toBe('body_too_large');
    expect(chunked.status).toBe(413);
    expect(chunked.body).toMatchObject({ error: { code: 'body_too_large' } });
    expect((await t.store.get(id))?.status).toBe('awaiting_callback');
  });

  it('refuses a correctly signed non-JSON body with 400 invalid_payload', async () => {
    const { id, callbackUrl } = await register();
    const text = 'files are ready!';

    const res = await post(callbackUrl, signCallback(t.secret, text), text);

    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('invalid_payload');
    expect((await t.store.get(id))?.status).toBe('awaiting_callback');
  });

  it('refuses a wrong media type with 415 before verifying anything', async () => {
    const { callbackUrl } = await register();

    const res = await post(
      callbackUrl,
      { ...signCallback(t.secret, filesBody), 'content-type': 'application/x-www-form-urlencoded' },
      filesBody,
    );

    expect(res.status).toBe(415);
    expect(res.body.error?.code).toBe('unsupported_media_type');
  });

  it('refuses a file URL pointing at a private address with 400 and stores nothing', async () => {
    const { id, callbackUrl } = await register();
    const evil = JSON.stringify({ files: [{ url: 'https://10.0.0.7/secrets.txt' }] });

    const res = await post(callbackUrl, signCallback(t.secret, evil), evil);

    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('invalid_payload');
    expect(res.body.error?.message).toContain('files[0].url');
    expect((await t.store.get(id))?.status).toBe('awaiting_callback');
    expect(await t.store.getCallback(id)).toBeUndefined();
  });

  it('refuses a callback after the deadline with 410 delivery_expired', async () => {
    const { id, callbackUrl } = await register();
    t.setNow(new Date(Date.now() + 2 * 3600_000));

    const res = await post(
      callbackUrl,
      signCallback(t.secret, filesBody, { timestamp: new Date(Date.now() + 2 * 3600_000) }),
      filesBody,
    );

    expect(res.status).toBe(410);
    expect(res.body.error?.code).toBe('delivery_expired');
    expect((await t.store.get(id))?.status).toBe('awaiting_callback');
  });

  it('still answers 202 when the execution has not stored its task token yet', async () => {
    const res0 = await fetch(`${t.server.url}/deliveries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'acme' }),
    });
    const { id, callbackUrl } = (await res0.json()) as { id: string; callbackUrl: string };

    const res = await post(callbackUrl, signCallback(t.secret, filesBody), filesBody);

    expect(res.status).toBe(202);
    expect((await t.store.getCallback(id))?.source.kind).toBe('files');
  });
  it('reads the signature headers whatever their case on the wire, and answers a duplicate with 200', async () => {
    const { id, callbackUrl } = await register();
    const signed = signCallback(t.secret, filesBody, { msgId: 'msg_wire' });
    const lines = [
      ['Content-Type', 'application/json'],
      ['WEBHOOK-ID', signed['webhook-id'] ?? ''],
      ['Webhook-Timestamp', signed['webhook-timestamp'] ?? ''],
      ['webhook-Signature', signed['webhook-signature'] ?? ''],
    ] as const;

    const first = await postRawHeaders(callbackUrl, lines, filesBody);
    const again = await postRawHeaders(callbackUrl, lines, filesBody);

    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id, status: 'resolving', duplicate: true });
    expect(t.engine.successes).toHaveLength(1);
  });

  it('refuses a signature header line sent twice with 401 malformed_header and changes nothing', async () => {
    const { id, callbackUrl } = await register();
    const signed = signCallback(t.secret, filesBody);
    const signature = signed['webhook-signature'] ?? '';
    const base = [
      ['content-type', 'application/json'],
      ['webhook-id', signed['webhook-id'] ?? ''],
      ['webhook-timestamp', signed['webhook-timestamp'] ?? ''],
    ] as const;

    const twiceSameCase = await postRawHeaders(
      callbackUrl,
      [...base, ['webhook-signature', signature], ['webhook-signature', signature]],
      filesBody,
    );
    const twiceTwoSpellings = await postRawHeaders(
      callbackUrl,
      [...base, ['Webhook-Signature', signature], ['webhook-signature', signature]],
      filesBody,
    );

    expect(twiceSameCase.status).toBe(401);
    expect(twiceSameCase.body.error?.code).toBe('malformed_header');
    expect(twiceTwoSpellings.status).toBe(401);
    expect(twiceTwoSpellings.body.error?.code).toBe('malformed_header');
    expect((await t.store.get(id))?.status).toBe('awaiting_callback');
    expect(t.engine.successes).toHaveLength(0);
  });

  it('verifies a body that arrives after its headers, in pieces, and answers 202', async () => {
    // Prepare: the head, then the body in three pieces 30 ms apart.
    const { id, callbackUrl } = await register();
    const request = rawPost(
      callbackUrl,
      { ...signCallback(t.secret, filesBody, { msgId: 'msg_slow' }), connection: 'close' },
      filesBody,
    );
    const bodyStart = request.length - filesBody.length;
    const pieces = [bodyStart, bodyStart + 10, bodyStart + 60].map((start, i, starts) =>
      request.slice(i === 0 ? 0 : start, starts[i + 1]),
    );

    // Act
    const answers = await exchangeRaw(callbackUrl, pieces, 30);

    // Assess
    expect(pieces.join('')).toBe(request);
    expect(answers).toEqual([{ status: 202, body: { id, status: 'resolving' } }]);
    expect((await t.store.get(id))?.callback?.eventId).toBe('msg_slow');
  });

  it('answers callbacks sent back to back on one connection, each body read to its own end', async () => {
    // Prepare: a callback, its duplicate and a forged one, written in one go.
    const { id, callbackUrl } = await register();
    const signed = signCallback(t.secret, filesBody, { msgId: 'msg_pipe' });
    const forged = {
      ...signed,
      'webhook-signature': signCallback(t.secret, '{}')['webhook-signature'] ?? '',
    };
    const requests = [
      rawPost(callbackUrl, signed, filesBody),
      rawPost(callbackUrl, signed, filesBody),
      rawPost(callbackUrl, { ...forged, connection: 'close' }, filesBody),
    ];

    // Act
    const answers = await exchangeRaw(callbackUrl, [requests.join('')]);

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([202, 200, 401]);
    expect(answers[1]?.body).toEqual({ id, status: 'resolving', duplicate: true });
    expect(t.engine.successes).toHaveLength(1);
  });
});
