import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockedAddressError, download } from '@downloader/fetch-stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BlockedUrlError } from '../../src/errors.js';
import { createConnectGuard } from '../../src/urlPolicy/createConnectGuard.js';
import type { UrlPolicy } from '../../src/urlPolicy/types.js';

const FILE = Buffer.from('delivery bytes that must only come from the allowed origin\n'.repeat(64));

interface LoopbackServer {
  readonly server: Server;
  readonly port: number;
  readonly requests: string[];
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LoopbackServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, requests };
}

function serveFile(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': FILE.byteLength });
  res.end(FILE);
}

describe('redirect to another loopback port, through fetch-stream', () => {
  let provider: LoopbackServer;
  let internal: LoopbackServer;
  let dir: string;
  let policy: UrlPolicy;

  beforeAll(async () => {
    // The "internal service" the redirect points at: it must never be reached.
    internal = await listen(serveFile);
    // The demo provider: the one origin the policy allows. It serves /ok and redirects the rest.
    provider = await listen((req, res) => {
      if (req.url === '/ok') return serveFile(req, res);
      const target =
        req.url === '/to-localhost'
          ? `http://localhost:${provider.port}/ok`
          : `http://127.0.0.1:${internal.port}/admin/export`;
      res.writeHead(302, { location: target });
      res.end();
    });
    policy = { loopbackException: { host: '127.0.0.1', port: provider.port } };
  });

  afterAll(async () => {
    await Promise.all([provider, internal].map((s) => new Promise((r) => s.server.close(r))));
  });

  beforeEach(async () => {
    provider.requests.length = 0;
    internal.requests.length = 0;
    dir = await mkdtemp(join(tmpdir(), 'callback-core-redirect-'));
    return () => rm(dir, { recursive: true, force: true });
  });

  it('downloads from the excepted origin itself (the exception works)', async () => {
    // Act
    const result = await download(`http://127.0.0.1:${provider.port}/ok`, {
      output: join(dir, 'ok.bin'),
      connectGuard: createConnectGuard(policy),
      retry: { retries: 0 },
    });

    // Assess
    expect(await readFile(join(dir, 'ok.bin'))).toEqual(FILE);
    expect(result.sha256).toBe(createHash('sha256').update(FILE).digest('hex'));
  });

  it('fails with the guard’s refusal when the provider redirects to another loopback port, and writes nothing', async () => {
    // Act
    let caught: unknown;
    try {
      await download(`http://127.0.0.1:${provider.port}/files/report.csv`, {
        output: join(dir, 'report.csv'),
        connectGuard: createConnectGuard(policy),
        retry: { retries: 0 },
      });
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(BlockedAddressError);
    const cause = (caught as BlockedAddressError).cause;
    expect(cause).toBeInstanceOf(BlockedUrlError);
    expect(cause).toMatchObject({
      code: 'BLOCKED_URL',
      reason: 'private_address',
      range: 'loopback',
      url: `http://127.0.0.1:${internal.port}/admin/export`,
      address: '127.0.0.1',
    });
    expect(provider.requests).toEqual(['GET /files/report.csv']);
    expect(internal.requests).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a redirect to localhost on the very same port (the exception is for the address, not names)', async () => {
    let caught: unknown;
    try {
      await download(`http://127.0.0.1:${provider.port}/to-localhost`, {
        output: join(dir, 'x.bin'),
        connectGuard: createConnectGuard(policy),
        retry: { retries: 0 },
      });
    } catch (error) {
      caught = error;
    }
    expect((caught as BlockedAddressError | undefined)?.cause).toMatchObject({ reason: 'private_address' });
    expect(provider.requests).toEqual(['GET /to-localhost']);
    expect(await readdir(dir)).toEqual([]);
  });
});
