import { describe, expect, it } from 'vitest';
import { download, HttpStatusError } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import {
  bitten,
  CONNECTION_MODES,
  expectIdentical,
  FILE_SIZE,
  options,
  PROBE_BYTES,
  rejectionOf,
} from './helpers/faultHarness.js';
import { pathExists } from './helpers/files.js';

const bench = useFaultOrigin('fault-status');

describe.each(CONNECTION_MODES)('503 / 429 with Retry-After ($label)', ({ connections }) => {
  it.each([
    { status: 503, format: 'seconds' as const },
    { status: 429, format: 'date' as const },
  ])(
    '$status with Retry-After as $format for the first 2 requests: waits, retries, succeeds',
    async ({ status, format }) => {
      const { name, dir, output } = await bench.prepare(`status-${status}`, connections);
      const origin = bench.origin();

      const result = await download(
        origin.url(name, {
          mode: 'status',
          status,
          retryAfter: 1,
          retryAfterFormat: format,
          enforce: true,
          times: 2,
        }),
        // maxDelayMs caps Retry-After too: keep it above the 1-2 s asked for, so the header is what decides.
        options(connections, output, { retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 5000 } }),
      );

      await expectIdentical(origin, name, dir, result);
      const statuses = origin.stats.perRequest.map((record) => record.status);
      expect(statuses.filter((s) => s === status)).toHaveLength(2);
      expect(statuses.slice(0, 2)).toEqual([status, status]);
      // Honoured: no request came back before the announced moment (the origin refuses and counts those).
      expect(bitten(origin, 'status-early')).toBe(0);
      expect(result.retries).toBe(2);
      expect(result.requests).toBe(origin.stats.requests);
      expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + PROBE_BYTES);
    },
  );

  it('a 503 that never ends fails with HttpStatusError 503 after exactly 1 + retries requests', async () => {
    const { name, output } = await bench.prepare('status-503-always', connections);
    const origin = bench.origin();

    const error = await rejectionOf(
      download(
        origin.url(name, { mode: 'status', status: 503 }),
        options(connections, output, { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } }),
      ),
    );

    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 503, retryable: true });
    expect(origin.stats.requests).toBe(3);
    expect(await pathExists(output)).toBe(false);
  });

  it('a 404 is terminal: one request, no retry, HttpStatusError 404', async () => {
    const { name, output } = await bench.prepare('status-404', connections);
    const origin = bench.origin();

    const error = await rejectionOf(
      download(origin.url(name, { mode: 'status', status: 404 }), options(connections, output)),
    );

    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 404, retryable: false });
    expect(origin.stats.requests).toBe(1);
    expect(await pathExists(output)).toBe(false);
  });
});
