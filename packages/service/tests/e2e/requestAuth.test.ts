import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStandardWebhooksSecret } from '@downloader/callback-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { createJsonLogger } from '../../src/http/logger.js';
import { type LocalService, startLocalService } from '../../src/http/startLocalService.js';
import { readAllFiles } from './startE2eService.js';

const API_KEY = 'apikey-5f1c0d9e-never-logged';
const FILE_TOKEN = 'filetoken-8a7b6c5d-never-logged';
const OTHER_PASSWORD = 'otherpass-1234abcd-never-sent';
const SECRETS = [
  API_KEY,
  FILE_TOKEN,
  OTHER_PASSWORD,
  Buffer.from(`ops:${OTHER_PASSWORD}`).toString('base64'),
];

const FILES: Readonly<Record<string, Buffer>> = {
  'a.csv': Buffer.from('id,value\n'.repeat(4000)),
  'b.bin': Buffer.alloc(300 * 1024, 7),
};

interface Seen {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

let origin: Server;
let port: number;
const seen: Seen[] = [];
let dir: string;
let downloadsDir: string;
let service: LocalService;
let secret: string;
const logLines: string[] = [];

/** A provider that wants its API key on the list API and its bearer token on files. */
function startOrigin(): Promise<void> {
  origin = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://origin');
    seen.push({ path: url.pathname + url.search, headers: req.headers });
    if (url.pathname === '/projects') {
      if (req.headers['x-api-key'] !== API_KEY || url.searchParams.get('projectID') !== 'p-7') {
        res.writeHead(401).end();
        return;
      }
      const base = `http://127.0.0.1:${port}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      // a.csv has a declared size (small-file path); b.bin none and behind a same-origin redirect,
      // so the probe learns no size and it goes through the large-file child process.
      res.end(
        JSON.stringify({
          data: [
            { url: `${base}/files/a.csv`, name: 'a.csv', size: FILES['a.csv']?.length },
            { url: `${base}/r/b.bin`, name: 'b.bin' },
          ],
        }),
      );
      return;
    }
    if (url.pathname.startsWith('/r/')) {
      res.writeHead(302, { location: `/files/${url.pathname.slice(3)}` }).end();
      return;
    }
    const body = FILES[url.pathname.replace('/files/', '')];
    if (req.headers.authorization !== `Bearer ${FILE_TOKEN}`) {
      res.writeHead(401).end();
      return;
    }
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve) => origin.listen(0, '127.0.0.1', () => resolve()));
}

beforeAll(async () => {
  await startOrigin();
  port = (origin.address() as AddressInfo).port;
  dir = mkdtempSync(join(tmpdir(), 'downloader-auth-'));
  secret = generateStandardWebhooksSecret();
  const config = loadConfig({
    cwd: dir,
    env: {
      ACME_SECRET: secret,
      ACME_API_KEY: API_KEY,
      ACME_FILE_TOKEN: FILE_TOKEN,
      ACME_OTHER: OTHER_PASSWORD,
    },
    config: {
      server: { port: 0 },
      workflow: { largeFileThreshold: 2 * 1024 * 1024, maxConcurrency: 2 },
      demoProvider: { enabled: false },
      providers: [
        {
          id: 'acme',
          signature: { scheme: 'standard-webhooks', secrets: [{ id: 'k1', value: { env: 'ACME_SECRET' } }] },
          files: {
            source: 'list-api',
            listUrl: `http://127.0.0.1:${port}/projects`,
            projectIdField: 'project',
            path: 'data',
          },
          urlPolicy: { loopbackException: { host: '127.0.0.1', port } },
          requestAuth: [
            { type: 'header', hosts: ['127.0.0.1'], name: 'X-Api-Key', value: { env: 'ACME_API_KEY' } },
            { type: 'bearer', hosts: ['127.0.0.1'], token: { env: 'ACME_FILE_TOKEN' } },
            {
              type: 'basic',
              hosts: ['*.elsewhere.example'],
              username: 'ops',
              password: { env: 'ACME_OTHER' },
            },
          ],
        },
      ],
    },
  });
  downloadsDir = config.downloadsDir;
  service = await startLocalService(config, {
    logger: createJsonLogger((line) => logLines.push(line)),
    runtime: { retryDelayMs: 20 },
  });
});

afterAll(async () => {
  await service?.close();
  await new Promise<void>((resolve) => origin?.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function settle(id: string): Promise<{ status: string; body: string }> {
  for (;;) {
    const res = await fetch(`${service.url}/deliveries/${id}`);
    const body = await res.text();
    const status = (JSON.parse(body) as { status: string }).status;
    if (['completed', 'partially_failed', 'failed'].includes(status)) return { status, body };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('per-host credentials (requestAuth) end to end', () => {
  it('sends each credential only to its hosts, downloads the files, and never writes or answers a credential', async () => {
    const registered = await fetch(`${service.url}/deliveries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'acme', projectId: 'p-7' }),
    });
    expect(registered.status).toBe(201);
    const { id, callbackUrl } = (await registered.json()) as { id: string; callbackUrl: string };
    const body = JSON.stringify({ project: 'p-7' });
    const now = new Date();
    const accepted = await fetch(callbackUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_auth_1',
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign('msg_auth_1', now, body),
      },
      body,
    });
    expect(accepted.status).toBe(202);

    const settled = await settle(id);
    const files = await readAllFiles(service.url, id);

    expect({ status: settled.status, errors: files.filter((f) => f.error !== null) }).toEqual({
      status: 'completed',
      errors: [],
    });
    for (const [name, bytes] of Object.entries(FILES)) {
      const onDisk = readFileSync(join(downloadsDir, id, name));
      expect(createHash('sha256').update(onDisk).digest('hex')).toBe(
        createHash('sha256').update(bytes).digest('hex'),
      );
    }
    // The list API got the key (and the token: both entries bind 127.0.0.1); the files too.
    const list = seen.find((s) => s.path === '/projects?projectID=p-7');
    expect(list?.headers['x-api-key']).toBe(API_KEY);
    expect(
      seen.filter((s) => s.path.startsWith('/files/') || s.path.startsWith('/r/')).length,
    ).toBeGreaterThan(0);
    for (const request of seen) {
      expect(request.headers.authorization).toBe(`Bearer ${FILE_TOKEN}`);
      // The basic credential is bound to *.elsewhere.example: never sent here.
      expect(JSON.stringify(request.headers)).not.toContain(SECRETS[3]);
    }

    // No credential in any log line, API answer or file written (state, downloads, _delivery.json).
    const answers = [
      settled.body,
      JSON.stringify(files),
      await (await fetch(`${service.url}/deliveries`)).text(),
      await (await fetch(`${service.url}/deliveries/${id}/files`)).text(),
    ];
    const written = filesUnder(dir).map((path) => readFileSync(path).toString('latin1'));
    expect(written.length).toBeGreaterThan(2);
    expect(logLines.length).toBeGreaterThan(0);
    for (const text of [...logLines, ...answers, ...written]) {
      for (const value of SECRETS) expect(text.includes(value)).toBe(false);
    }
  });
});
