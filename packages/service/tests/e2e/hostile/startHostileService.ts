/**
 * The local service as `pnpm start` runs it (SQLite, files on disk, worker threads, batch-runner
 * child) with one provider profile, `hostile`, whose files may come from a loopback origin the
 * test scripts request by request: the provider and the file host are the attacker.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/loadConfig.js';
import type { ServiceConfig } from '../../../src/config/ServiceConfig.js';
import { silentLogger } from '../../../src/http/logger.js';
import { type LocalService, startLocalService } from '../../../src/http/startLocalService.js';
import { type DeliveryJson, readAllFiles } from '../startE2eService.js';

/** Answers one request of the hostile origin (`path` without the query). */
export type HostileRoute = (req: IncomingMessage, res: ServerResponse) => void;

export interface HostileService {
  readonly service: LocalService;
  readonly config: ServiceConfig;
  readonly downloadsDir: string;
  /** `http://127.0.0.1:<port><path>` on the hostile origin. */
  originUrl(path: string): string;
  route(path: string, handler: HostileRoute): void;
  /** Registers a delivery for the hostile provider; returns its id and callback URL. */
  register(): Promise<{ id: string; callbackUrl: string }>;
  /** Sends an (unsigned: capability URL) callback with this body. */
  callback(callbackUrl: string, body: unknown): Promise<{ status: number; body: unknown }>;
  /** Polls `GET /deliveries/{id}` until the status is terminal, or throws after `timeoutMs`. */
  settle(id: string, timeoutMs?: number): Promise<DeliveryJson>;
  close(): Promise<void>;
}

const TERMINAL = ['completed', 'partially_failed', 'failed', 'callback_timed_out'];

export async function startHostileService(
  options: {
    readonly limits?: Readonly<Record<string, number>>;
    readonly workflow?: Readonly<Record<string, number>>;
    readonly server?: Readonly<Record<string, unknown>>;
    readonly env?: Readonly<Record<string, string>>;
    /** Where the file list comes from: the callback itself, or a manifest URL in its `manifest`. */
    readonly files?: 'inline' | 'manifest';
  } = {},
): Promise<HostileService> {
  const dir = mkdtempSync(join(tmpdir(), 'downloader-hostile-'));
  const routes = new Map<string, HostileRoute>();
  const origin = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const handler = routes.get(path);
    if (handler === undefined) res.writeHead(404).end();
    else handler(req, res);
  });
  origin.listen(0, '127.0.0.1');
  await once(origin, 'listening');
  const originPort = (origin.address() as AddressInfo).port;
  const config = loadConfig({
    cwd: dir,
    env: options.env ?? {},
    config: {
      server: { port: 0, ...options.server },
      workflow: { largeFileThreshold: 8 * 1024 * 1024, maxConcurrency: 4, ...options.workflow },
      demoProvider: { enabled: false },
      providers: [
        {
          id: 'hostile',
          signature: { scheme: 'none', requireCapabilityUrl: true },
          capabilityUrl: true,
          files:
            options.files === 'manifest'
              ? { source: 'manifest', urlField: 'manifest' }
              : { source: 'inline' },
          urlPolicy: { allowHttp: true, loopbackException: { host: '127.0.0.1', port: originPort } },
          ...(options.limits === undefined ? {} : { limits: options.limits }),
        },
      ],
    },
  });
  const service = await startLocalService(config, { logger: silentLogger, runtime: { retryDelayMs: 20 } });
  const api = service.url;
  return {
    service,
    config,
    downloadsDir: config.downloadsDir,
    originUrl: (path) => `http://127.0.0.1:${originPort}${path}`,
    route: (path, handler) => {
      routes.set(path, handler);
    },
    async register() {
      const res = await fetch(`${api}/deliveries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'hostile' }),
      });
      if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as { id: string; callbackUrl: string };
    },
    async callback(callbackUrl, body) {
      const res = await fetch(callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as unknown };
    },
    async settle(id, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const delivery = (await (await fetch(`${api}/deliveries/${id}`)).json()) as { status: string };
        if (TERMINAL.includes(delivery.status))
          return { status: delivery.status, files: await readAllFiles(api, id) };
        if (Date.now() > until) {
          throw new Error(
            `delivery still ${delivery.status} after ${timeoutMs} ms: ${JSON.stringify(delivery)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await service.close();
      origin.closeAllConnections();
      origin.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
