import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockProvider, startMockProvider } from '../src/startMockProvider.js';

let provider: MockProvider | undefined;
afterEach(async () => {
  await provider?.close();
});

describe('startMockProvider', () => {
  it('serves small, large and faulty files whose bytes match the listed sha256, and a manifest listing them', async () => {
    provider = await startMockProvider({ smallFiles: 3, smallFileBytes: 1000, largeFileBytes: 50_000 });

    const manifest = (await (await fetch(provider.manifestUrl)).json()) as {
      files: { url: string; name: string }[];
    };
    const small = provider.files.find((file) => file.kind === 'small');
    const body = Buffer.from(await (await fetch(small?.url ?? '')).arrayBuffer());

    expect(provider.files.map((file) => file.kind)).toEqual(['small', 'small', 'small', 'large', 'faulty']);
    expect(manifest.files.map((file) => file.name)).toEqual(provider.files.map((file) => file.name));
    expect(body.length).toBe(1000);
    expect(createHash('sha256').update(body).digest('hex')).toBe(small?.sha256);
  });

  it('answers the faulty file with a 503 first, then serves it', async () => {
    provider = await startMockProvider({ smallFiles: 1 });
    const faulty = provider.files.find((file) => file.kind === 'faulty');

    const first = await fetch(faulty?.url ?? '');
    await first.arrayBuffer();

    expect(first.status).toBe(503);
    expect(provider.getCount('flaky/readings.bin')).toBe(1);
  });

  it('sends a callback that the standardwebhooks library verifies with the same secret', async () => {
    provider = await startMockProvider({ smallFiles: 2 });
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const received: { headers: Record<string, string>; body: string }[] = [];
    const receiver = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => {
        received.push({
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
          body: Buffer.concat(parts).toString('utf8'),
        });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;

    const answer = await provider.sendCallback(`http://127.0.0.1:${port}/callbacks/x`, secret, {
      style: 'manifest',
    });
    receiver.close();

    expect(answer).toEqual({ status: 202, body: { ok: true } });
    const [call] = received;
    expect(new Webhook(secret).verify(call?.body ?? '', call?.headers ?? {})).toEqual({
      manifestUrl: provider.manifestUrl,
    });
  });
});
