import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStandardWebhooksSecret } from '@downloader/callback-core';
import { type MockProvider, startMockProvider } from '@downloader/mock-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceProcess, spawnService } from './helpers/spawnService.js';
import { readAllFiles } from './startE2eService.js';

const KILLS = 10;
const KIB = 1024;

let provider: MockProvider;
let dir: string;
let current: ServiceProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'downloader-crash-'));
  provider = await startMockProvider({
    smallFiles: 12,
    smallFileBytes: 64 * KIB,
    largeFileBytes: 2 * 1024 * KIB,
    faultyFileBytes: 256 * KIB,
  });
  // Paced so the delivery outlasts the kills: small files finish within one life, the large one
  // (journaled by batch-runner) only across several; the faulty file also answers one 503.
  for (const file of provider.files) {
    const pace = { mode: 'throttle', bytesPerSecond: file.kind === 'large' ? 128 * KIB : 96 * KIB } as const;
    provider.origin.setFaults(
      file.name,
      file.kind === 'faulty' ? [{ mode: 'status', status: 503, times: 1 }, pace] : [pace],
    );
  }
});
afterAll(async () => {
  await current?.kill();
  await provider?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A small seeded generator: the kill points differ per seed and a failing seed can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DeliveryJson {
  readonly status: string;
  readonly files: readonly {
    readonly name: string;
    readonly status: string;
    readonly sha256: string | null;
  }[];
}

async function delivery(url: string, id: string): Promise<DeliveryJson> {
  const { status } = (await (await fetch(`${url}/deliveries/${id}`)).json()) as { status: string };
  return { status, files: await readAllFiles(url, id) };
}

describe('crash safety over HTTP', () => {
  it(`survives ${KILLS} SIGKILLs at random points of a multi-file delivery: it completes, every file verified, no finished file fetched again`, {
    timeout: 240_000,
  }, async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const next = random(seed);
    const secret = generateStandardWebhooksSecret();
    const env = {
      DOWNLOADER_DATA_DIR: join(dir, 'state'),
      DOWNLOADER_DOWNLOADS_DIR: join(dir, 'downloads'),
      DOWNLOADER_DEMO_SECRET: secret,
      DOWNLOADER_DEMO_PROVIDER_PORT: String(provider.port),
      DOWNLOADER_LARGE_FILE_THRESHOLD: String(1024 * KIB),
      DOWNLOADER_MAX_CONCURRENCY: '4',
      PORT: '0',
    };

    current = await spawnService(env);
    const registered = await fetch(`${current.url}/deliveries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'demo', label: 'crash test' }),
    });
    const { id, callbackUrl } = (await registered.json()) as { id: string; callbackUrl: string };
    expect((await provider.sendCallback(callbackUrl, secret)).status).toBe(202);

    // For each file seen completed: how many origin requests had arrived by then.
    const completedBy = new Map<string, number>();
    const statusesAtKill: string[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(next() * 1200)));
      const seen = await delivery(current.url, id);
      const requestsSoFar = provider.origin.stats.requests;
      for (const file of seen.files) {
        if (file.status === 'completed' && !completedBy.has(file.name))
          completedBy.set(file.name, requestsSoFar);
      }
      statusesAtKill.push(seen.status);
      await current.kill();
      current = await spawnService(env);
    }

    let final = await delivery(current.url, id);
    while (!['completed', 'partially_failed', 'failed'].includes(final.status)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      final = await delivery(current.url, id);
    }

    expect(
      statusesAtKill.filter((status) => status === 'downloading' || status === 'resolving').length,
      `seed ${seed}`,
    ).toBe(KILLS);
    expect(
      final.status,
      `seed ${seed}: ${JSON.stringify(final.files.filter((f: { status: string }) => f.status !== 'completed'))}`,
    ).toBe('completed');
    for (const file of provider.files) {
      const bytes = readFileSync(join(dir, 'downloads', id, file.name));
      expect(createHash('sha256').update(bytes).digest('hex'), `${file.name}, seed ${seed}`).toBe(
        file.sha256,
      );
    }
    const refetched = [...completedBy].filter(([name, requestsBefore]) =>
      provider.origin.stats.perRequest.some(
        (record) =>
          record.id > requestsBefore && record.method === 'GET' && record.url.split('?')[0] === `/${name}`,
      ),
    );
    expect(refetched, `seed ${seed}`).toEqual([]);
    expect(completedBy.size, `seed ${seed}`).toBeGreaterThan(0);
  });
});
