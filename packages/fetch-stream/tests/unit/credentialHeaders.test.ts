import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, InvalidOptionsError } from '../../src/index.js';

const BODY = Buffer.from('credential-bound bytes\n'.repeat(64));
const TOKEN = 'Bearer t0ken-never-elsewhere';
const KEY = 'k3y-never-elsewhere';

interface Seen {
  readonly host: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

let server: Server;
let port: number;
let dir: string;
const seen: Seen[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-cred-'));
  // One server, two host names: 127.0.0.1 and localhost are two origins to the client.
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    seen.push({ host: req.headers.host ?? '', path, headers: req.headers });
    if (path === '/away') {
      res.writeHead(302, { location: `http://localhost:${port}/file` });
      res.end();
      return;
    }
    if (path === '/same') {
      res.writeHead(302, { location: '/file' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-length': BODY.length, 'content-type': 'application/octet-stream' });
    res.end(BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

function get(path: string, output: string) {
  seen.length = 0;
  return download(`http://127.0.0.1:${port}${path}`, {
    output: join(dir, output),
    connections: 1,
    credentialHeaders: { authorization: TOKEN, 'X-Api-Key': KEY },
    headers: { 'x-trace': 'plain' },
    retry: { retries: 0 },
  });
}

describe('credentialHeaders', () => {
  it('sends them to the origin of the URL, and keeps them on a redirect within that origin', async () => {
    await get('/same', 'same.bin');

    expect(seen.map((s) => s.path)).toEqual(['/same', '/file']);
    for (const request of seen) {
      expect(request.headers.authorization).toBe(TOKEN);
      expect(request.headers['x-api-key']).toBe(KEY);
    }
    expect(await readFile(join(dir, 'same.bin'))).toEqual(BODY);
  });

  it('drops every one of them on a redirect to another host; plain headers still follow', async () => {
    await get('/away', 'away.bin');

    expect(seen.map((s) => [s.host, s.path])).toEqual([
      [`127.0.0.1:${port}`, '/away'],
      [`localhost:${port}`, '/file'],
    ]);
    expect(seen[0]?.headers['x-api-key']).toBe(KEY);
    const other = seen[1]?.headers ?? {};
    expect(other.authorization).toBeUndefined();
    expect(other['x-api-key']).toBeUndefined();
    expect(JSON.stringify(other)).not.toContain('never-elsewhere');
    expect(other['x-trace']).toBe('plain');
    expect(await readFile(join(dir, 'away.bin'))).toEqual(BODY);
  });

  it('refuses a credential header the engine sets itself, naming the header only', async () => {
    const run = download(`http://127.0.0.1:${port}/file`, {
      output: join(dir, 'x.bin'),
      credentialHeaders: { Range: 'secret-value' },
    });

    await expect(run).rejects.toBeInstanceOf(InvalidOptionsError);
    await expect(run).rejects.toThrow('credentialHeaders.Range');
    await expect(run).rejects.not.toThrow('secret-value');
  });
});
