/** A real local service (SQLite, files on disk, embedded engine, batch-runner child) plus a mock provider. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStandardWebhooksSecret } from '@downloader/callback-core';
import { type MockProvider, type MockProviderOptions, startMockProvider } from '@downloader/mock-provider';
import { loadConfig } from '../../src/config/loadConfig.js';
import { silentLogger } from '../../src/http/logger.js';
import { type LocalService, startLocalService } from '../../src/http/startLocalService.js';

/** The running pair and their folders. */
export interface E2e {
  readonly service: LocalService;
  readonly provider: MockProvider;
  readonly secret: string;
  readonly dir: string;
  readonly downloadsDir: string;
  /** Registers a delivery for the demo provider over HTTP. */
  register(): Promise<{ id: string; callbackUrl: string }>;
  /** Polls `GET /deliveries/{id}` until the status is terminal. */
  settle(id: string): Promise<DeliveryJson>;
  close(): Promise<void>;
}

/** What the tests read of `GET /deliveries/{id}` and every page of `GET /deliveries/{id}/files`. */
export interface DeliveryJson {
  readonly status: string;
  readonly files: readonly {
    readonly name: string;
    readonly sourceUrl: string;
    readonly size: number | null;
    readonly bytes: number;
    readonly sha256: string | null;
    readonly attempts: number;
    readonly status: string;
    readonly error: { readonly code: string; readonly message: string } | null;
  }[];
}

const TERMINAL = ['completed', 'partially_failed', 'failed', 'callback_timed_out'];

/** Starts the mock provider, then the service configured as `pnpm start` would be, on temp folders. */
export async function startE2e(
  providerOptions: MockProviderOptions = {},
  server: Readonly<Record<string, unknown>> = {},
): Promise<E2e> {
  const dir = mkdtempSync(join(tmpdir(), 'downloader-e2e-'));
  const provider = await startMockProvider(providerOptions);
  const secret = generateStandardWebhooksSecret();
  const config = loadConfig({
    cwd: dir,
    env: { DOWNLOADER_DEMO_SECRET: secret },
    config: {
      server: { port: 0, ...server },
      workflow: { largeFileThreshold: 2 * 1024 * 1024, maxConcurrency: 4 },
      demoProvider: { port: provider.port },
    },
  });
  const service = await startLocalService(config, { logger: silentLogger, runtime: { retryDelayMs: 20 } });
  const url = service.url;
  return {
    service,
    provider,
    secret,
    dir,
    downloadsDir: config.downloadsDir,
    async register() {
      const res = await fetch(`${url}/deliveries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'demo', label: 'e2e' }),
      });
      if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as { id: string; callbackUrl: string };
    },
    async settle(id) {
      for (;;) {
        const delivery = (await (await fetch(`${url}/deliveries/${id}`)).json()) as { status: string };
        if (TERMINAL.includes(delivery.status))
          return { status: delivery.status, files: await readAllFiles(url, id) };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await service.close();
      await provider.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every file of a delivery over HTTP, following `nextCursor` to the last page. */
export async function readAllFiles(url: string, id: string): Promise<DeliveryJson['files']> {
  const files: DeliveryJson['files'][number][] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? 'limit=1000' : `limit=1000&cursor=${encodeURIComponent(cursor)}`;
    const page = (await (await fetch(`${url}/deliveries/${id}/files?${query}`)).json()) as {
      items: DeliveryJson['files'];
      nextCursor: string | null;
    };
    files.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return files;
}
