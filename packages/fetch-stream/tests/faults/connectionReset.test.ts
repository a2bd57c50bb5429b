import { describe, expect, it } from 'vitest';
import { download, FetchStreamError } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import {
  bitten,
  CONNECTION_MODES,
  expectIdentical,
  FILE_SIZE,
  KiB,
  options,
  PART_SIZE,
  PROBE_BYTES,
  rejectionOf,
} from './helpers/faultHarness.js';
import { pathExists } from './helpers/files.js';

const bench = useFaultOrigin('fault-reset');

describe.each(CONNECTION_MODES)('connection reset part-way ($label)', ({ connections }) => {
  it('resumes after each reset: byte-identical file, at most one part re-fetched per reset', async () => {
    const { name, dir, output } = await bench.prepare('reset', connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name, { mode: 'reset', afterBytes: 100 * KiB, times: 3 }),
      options(connections, output),
    );

    await expectIdentical(origin, name, dir, result);
    expect(bitten(origin, 'reset')).toBe(3);
    expect(result.retries).toBeGreaterThanOrEqual(3);
    expect(result.requests).toBe(origin.stats.requests);
    expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + 3 * PART_SIZE + PROBE_BYTES);
  });

  it('gives up after its retries when every response is reset before its first byte; no output file', async () => {
    const { name, output } = await bench.prepare('reset-always', connections);
    const origin = bench.origin();
    const retries = 2;

    const error = await rejectionOf(
      download(
        origin.url(name, { mode: 'reset', afterBytes: 0 }),
        options(connections, output, { retry: { retries, baseDelayMs: 1, maxDelayMs: 5 } }),
      ),
    );

    expect(error).toBeInstanceOf(FetchStreamError);
    // A reset mid-body is a network failure and a premature end at once; both codes are documented for it.
    expect(['NETWORK', 'INCOMPLETE_BODY']).toContain((error as FetchStreamError).code);
    expect(await pathExists(output)).toBe(false);
    // Each connection gives up after 1 + retries attempts: the origin is not hammered forever.
    expect(bitten(origin, 'reset')).toBeLessThanOrEqual(connections * (retries + 1));
    expect(origin.stats.bytesServed).toBeLessThanOrEqual(
      connections * (retries + 1) * 50 * KiB + PROBE_BYTES,
    );
  });
});
