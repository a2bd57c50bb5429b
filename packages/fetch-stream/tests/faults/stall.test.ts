import { describe, expect, it } from 'vitest';
import { download } from '../../src/index.js';
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
} from './helpers/faultHarness.js';

const bench = useFaultOrigin('fault-stall');

describe.each(CONNECTION_MODES)('stalled body ($label)', ({ connections }) => {
  it('a stall longer than the idle timeout resumes from the current offset: byte-identical', async () => {
    const { name, dir, output } = await bench.prepare('stall', connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name, { mode: 'stall', afterBytes: 200 * KiB, stallMs: 20_000, times: 2 }),
      options(connections, output, { timeouts: { connect: 5000, responseHeaders: 5000, idle: 1000 } }),
    );

    await expectIdentical(origin, name, dir, result);
    expect(bitten(origin, 'stall')).toBe(2);
    expect(result.retries).toBeGreaterThanOrEqual(2);
    expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + 2 * PART_SIZE + PROBE_BYTES);
  });

  it('a body silent from its first byte (headers sent) is an idle timeout too: resumes, byte-identical', async () => {
    const { name, dir, output } = await bench.prepare('stall-at-0', connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name, { mode: 'stall', afterBytes: 0, stallMs: 20_000, times: 2 }),
      options(connections, output, { timeouts: { connect: 5000, responseHeaders: 5000, idle: 1000 } }),
    );

    await expectIdentical(origin, name, dir, result);
    expect(bitten(origin, 'stall')).toBe(2);
    expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + PROBE_BYTES);
  });

  it('a pause shorter than the idle timeout is waited out: no retry, nothing fetched twice', async () => {
    const { name, dir, output } = await bench.prepare('pause', connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name, { mode: 'stall', afterBytes: 200 * KiB, stallMs: 100, times: 1 }),
      options(connections, output, { timeouts: { connect: 5000, responseHeaders: 5000, idle: 5000 } }),
    );

    await expectIdentical(origin, name, dir, result);
    expect(bitten(origin, 'stall')).toBe(1);
    expect(result.retries).toBe(0);
    expect(result.refetchedBytes).toBe(0);
    expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + PROBE_BYTES);
  });
});
