import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mintDeliveryId } from '@downloader/callback-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveryJson, type E2e, startE2e } from './startE2eService.js';

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e({ smallFiles: 6, smallFileBytes: 48 * 1024, largeFileBytes: 3 * 1024 * 1024 });
});
afterAll(async () => {
  await e2e?.close();
});

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function signed(body: string, options: { msgId?: string; timestamp?: Date; secret?: string } = {}) {
  const msgId = options.msgId ?? `msg_${Math.random().toString(36).slice(2)}`;
  const timestamp = options.timestamp ?? new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(options.secret ?? e2e.secret).sign(msgId, timestamp, body),
  };
}

/** Fails with the files' errors in view, so a failed download says why. */
function expectCompleted(delivery: DeliveryJson) {
  const errors = delivery.files.flatMap((file) => (file.error ? [{ name: file.name, ...file.error }] : []));
  expect({ status: delivery.status, errors }).toEqual({ status: 'completed', errors: [] });
}

async function post(url: string, headers: Record<string, string>, body: string) {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
}

describe('end to end over HTTP: register → signed callback → verified files', () => {
  it('downloads every file byte-identical, writes _delivery.json and ends completed; a repeat callback changes nothing', async () => {
    const { id, callbackUrl } = await e2e.register();

    const first = await e2e.provider.sendCallback(callbackUrl, e2e.secret, { msgId: 'msg_e2e_1' });
    expect(first.status).toBe(202);
    const delivery = await e2e.settle(id);

    expectCompleted(delivery);
    for (const file of e2e.provider.files) {
      const onDisk = readFileSync(join(e2e.downloadsDir, id, file.name));
      expect(onDisk.length).toBe(file.size);
      expect(sha256(onDisk)).toBe(file.sha256);
    }
    expect(delivery.files.map((file) => [file.name, file.status, file.bytes, file.sha256])).toEqual(
      e2e.provider.files.map((file) => [file.name, 'completed', file.size, file.sha256]),
    );
    const report = JSON.parse(readFileSync(join(e2e.downloadsDir, id, '_delivery.json'), 'utf8')) as {
      files: { key?: string; name?: string; bytes: number; sha256: string }[];
    };
    expect(report.files.map((file) => [file.name ?? file.key, file.bytes, file.sha256]).sort()).toEqual(
      e2e.provider.files.map((file) => [file.name, file.size, file.sha256]).sort(),
    );

    // The faulty file was answered 503 once and cut mid-body once, and still arrived whole.
    expect(e2e.provider.getCount('flaky/readings.bin')).toBeGreaterThanOrEqual(3);

    const gets = e2e.provider.origin.stats.requests;
    const again = await e2e.provider.sendCallback(callbackUrl, e2e.secret, { msgId: 'msg_e2e_1' });
    expect(again.status).toBe(200);
    expect(e2e.provider.origin.stats.requests).toBe(gets);
    expect((await e2e.settle(id)).status).toBe('completed');
  });

  it('answers each bad callback with its status code and downloads nothing', async () => {
    const { id, callbackUrl } = await e2e.register();
    const good = e2e.provider.callbackBody();
    const requestsBefore = e2e.provider.origin.stats.requests;
    const forger = 'whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=';
    const privateBody = JSON.stringify({ files: [{ url: 'http://192.168.1.10/dump.sql' }] });
    const loopbackOtherPort = JSON.stringify({ files: [{ url: 'http://127.0.0.1:1/x.bin' }] });
    const oversized = JSON.stringify({ files: [], pad: 'x'.repeat(1024 * 1024 + 10) });

    const answers = {
      forged: await post(callbackUrl, signed(good, { secret: forger }), good),
      stale: await post(callbackUrl, signed(good, { timestamp: new Date(Date.now() - 3600_000) }), good),
      unknown: await post(callbackUrl.replace(id, mintDeliveryId()), signed(good), good),
      oversized: await post(callbackUrl, signed(oversized), oversized),
      nonJson: await post(callbackUrl, signed('ready!'), 'ready!'),
      mediaType: await post(callbackUrl, { ...signed(good), 'content-type': 'text/plain' }, good),
      privateAddress: await post(callbackUrl, signed(privateBody), privateBody),
      loopbackOtherPort: await post(callbackUrl, signed(loopbackOtherPort), loopbackOtherPort),
    };

    expect(
      Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, [v.status, v.body.error?.code]])),
    ).toEqual({
      forged: [401, 'bad_signature'],
      stale: [401, 'stale'],
      unknown: [404, 'delivery_not_found'],
      oversized: [413, 'body_too_large'],
      nonJson: [400, 'invalid_payload'],
      mediaType: [415, 'unsupported_media_type'],
      privateAddress: [400, 'invalid_payload'],
      loopbackOtherPort: [400, 'invalid_payload'],
    });
    const after = (await (await fetch(`${e2e.service.url}/deliveries/${id}`)).json()) as {
      status: string;
      files: { items: unknown[] };
    };
    expect(after).toMatchObject({ status: 'awaiting_callback', counts: { files: 0 }, files: { items: [] } });
    expect(e2e.provider.origin.stats.requests).toBe(requestsBefore);
    expect(existsSync(join(e2e.downloadsDir, id)) ? readdirSync(join(e2e.downloadsDir, id)) : []).toEqual([]);
  });

  it('refuses a callback to a finished delivery with 410', async () => {
    const { id, callbackUrl } = await e2e.register();
    expect((await e2e.provider.sendCallback(callbackUrl, e2e.secret, { msgId: 'msg_fin_1' })).status).toBe(
      202,
    );
    expectCompleted(await e2e.settle(id));

    const late = await e2e.provider.sendCallback(callbackUrl, e2e.secret, { msgId: 'msg_fin_2' });

    expect(late.status).toBe(410);
    expect(late.body).toMatchObject({ error: { code: 'delivery_finished' } });
  });
});
