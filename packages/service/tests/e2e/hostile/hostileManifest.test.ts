/**
 * Finding 6 of issue #12: one hostile manifest must not stall the service for everyone. A 16 MB
 * document of nothing but `[` is refused by its depth while it downloads; `/healthz` keeps
 * answering meanwhile, and the process's memory stays put. Figures are printed, not asserted
 * tightly (the bound below is generous: one second).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileService, startHostileService } from './startHostileService.js';

const MB = 1_000_000;

let h: HostileService;
beforeAll(async () => {
  h = await startHostileService({ files: 'manifest', limits: { maxManifestBytes: 16 * 1024 * 1024 } });
  const deep = Buffer.alloc(16 * MB, '[');
  h.route('/deep.json', (_req, res) =>
    res.writeHead(200, { 'content-length': String(deep.length) }).end(deep),
  );
  const big = Buffer.alloc(17 * 1024 * 1024, ' ');
  h.route('/big.json', (_req, res) => res.writeHead(200, { 'content-length': String(big.length) }).end(big));
});
afterAll(async () => {
  await h?.close();
});

/** Polls /healthz every 10 ms until stopped; reports the slowest answer and the peak RSS seen. */
function watchHealth(url: string): {
  stop: () => Promise<{ slowestMs: number; answers: number; peakRssMiB: number }>;
} {
  let running = true;
  let slowestMs = 0;
  let answers = 0;
  let peakRss = process.memoryUsage().rss;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      slowestMs = Math.max(slowestMs, performance.now() - started);
      answers += 1;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { slowestMs, answers, peakRssMiB: peakRss / 2 ** 20 };
    },
  };
}

describe('a hostile manifest does not stall the service (issue #12, finding 6)', () => {
  it('16 MB of "[": refused by its nesting depth, /healthz answered within 1 s throughout, memory flat', async () => {
    const { id, callbackUrl } = await h.register();
    const rssBeforeMiB = process.memoryUsage().rss / 2 ** 20;
    const health = watchHealth(h.service.url);

    const accepted = await h.callback(callbackUrl, { manifest: h.originUrl('/deep.json') });
    const delivery = await h.settle(id);
    const seen = await health.stop();
    const record = await (await fetch(`${h.service.url}/deliveries/${id}`)).json();

    console.log(
      `hostile manifest: /healthz slowest ${seen.slowestMs.toFixed(1)} ms over ${seen.answers} answers; RSS ${rssBeforeMiB.toFixed(0)} MiB before, peak ${seen.peakRssMiB.toFixed(0)} MiB`,
    );
    expect(accepted.status).toBe(202);
    expect(delivery.status).toBe('failed');
    expect(JSON.stringify(record)).toContain('deeper than 64 levels');
    expect(seen.slowestMs).toBeLessThan(1000);
    expect(seen.peakRssMiB - rssBeforeMiB).toBeLessThan(200);
  });

  it('a manifest over limits.maxManifestBytes fails with FILE_LIST_TOO_LARGE naming the cap, not PROTOCOL', async () => {
    const { id, callbackUrl } = await h.register();

    await h.callback(callbackUrl, { manifest: h.originUrl('/big.json') });
    await h.settle(id);
    const record = JSON.stringify(await (await fetch(`${h.service.url}/deliveries/${id}`)).json());

    expect(record).toContain('FILE_LIST_TOO_LARGE');
    expect(record).toContain('limits.maxManifestBytes');
    expect(record).not.toContain('PROTOCOL');
  });
});
