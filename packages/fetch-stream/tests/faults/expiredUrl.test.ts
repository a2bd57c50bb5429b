import { describe, expect, it } from 'vitest';
import { download, HttpStatusError, type RefreshUrlContext } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import {
  CONNECTION_MODES,
  expectIdentical,
  FILE_SIZE,
  options,
  PROBE_BYTES,
  rejectionOf,
} from './helpers/faultHarness.js';
import { pathExists } from './helpers/files.js';

const bench = useFaultOrigin('fault-expired-url');

describe.each(CONNECTION_MODES)('403 / 410 from an expired signed URL ($label)', ({ connections }) => {
  it.each([403, 410])('%i: refreshUrl supplies a fresh URL and the download completes', async (status) => {
    const { name, dir, output } = await bench.prepare(`expired-${status}`, connections);
    const origin = bench.origin();
    // The "signed" URL keeps failing; the refreshed one (explicitly no fault) works.
    const expired = origin.url(name, { mode: 'status', status });
    const fresh = origin.url(name, { mode: 'none' });
    const calls: RefreshUrlContext[] = [];

    const result = await download(
      expired,
      options(connections, output, {
        retry: {
          retries: 3,
          baseDelayMs: 1,
          maxDelayMs: 5,
          refreshUrl: (context) => {
            calls.push(context);
            return fresh;
          },
        },
      }),
    );

    await expectIdentical(origin, name, dir, result);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ url: expired, status });
    expect(origin.stats.perRequest.filter((record) => record.status === status)).toHaveLength(1);
    expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + PROBE_BYTES);
  });

  it('403 without a refreshUrl (or one that returns undefined) is terminal: one request, no output', async () => {
    const { name, output } = await bench.prepare('expired-terminal', connections);
    const origin = bench.origin();

    const error = await rejectionOf(
      download(
        origin.url(name, { mode: 'status', status: 403 }),
        options(connections, output, { retry: { retries: 3, refreshUrl: () => undefined } }),
      ),
    );

    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 403, retryable: false });
    expect(origin.stats.requests).toBe(1);
    expect(await pathExists(output)).toBe(false);
  });
});
