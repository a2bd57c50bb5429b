import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsCertificateFetcher } from '../../src/http/createSnsCertificateFetcher.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
let server: Server;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/cert.pem') res.end(PEM);
    else if (req.url === '/huge.pem') res.end('x'.repeat(100_000));
    else if (req.url === '/moved.pem') res.writeHead(302, { location: '/cert.pem' }).end();
    else res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

/** Sends the SNS host's requests to the loopback server instead (same path). */
const loopbackFetch: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const { port } = server.address() as AddressInfo;
  return fetch(`http://127.0.0.1:${port}${url.pathname}`, init);
};
const sns = (path: string) => new URL(`https://sns.eu-west-1.amazonaws.com${path}`);

describe('createSnsCertificateFetcher', () => {
  it('fetches a certificate once and serves it from the cache afterwards', async () => {
    const fetcher = createSnsCertificateFetcher({ fetch: loopbackFetch });
    const before = requests.filter((r) => r === '/cert.pem').length;

    expect(await fetcher(sns('/cert.pem'))).toBe(PEM);
    expect(await fetcher(sns('/cert.pem'))).toBe(PEM);

    expect(requests.filter((r) => r === '/cert.pem').length - before).toBe(1);
  });

  it('refuses a non-200 answer, an oversized body and a redirect', async () => {
    const fetcher = createSnsCertificateFetcher({ fetch: loopbackFetch, maxBytes: 4096 });

    await expect(fetcher(sns('/missing.pem'))).rejects.toThrow('HTTP 404');
    await expect(fetcher(sns('/huge.pem'))).rejects.toThrow('at most 4096');
    await expect(fetcher(sns('/moved.pem'))).rejects.toThrow();
  });
});
