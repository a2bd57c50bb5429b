import type { FaultOrigin } from '@downloader/fault-origin';
import { describe, expect, it } from 'vitest';
import { download } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import {
  bitten,
  CONNECTION_MODES,
  expectIdentical,
  FILE_SIZE,
  options,
  PART_SIZE,
} from './helpers/faultHarness.js';

const bench = useFaultOrigin('fault-overlapping-ranges');

/** Bytes the origin sent beyond one copy of the file: what the faults cost. */
function wasted(origin: FaultOrigin): number {
  return origin.stats.bytesServed - FILE_SIZE;
}

/** The start byte of a `bytes=a-b` / `bytes=a-` header. */
function rangeStart(range: string | undefined): number | undefined {
  const match = /^bytes=(\d+)-/.exec(range ?? '');
  return match ? Number(match[1]) : undefined;
}

describe.each(CONNECTION_MODES)('ranged responses judged by what they say ($label)', ({ connections }) => {
  it('overlap: a 206 starting 4096 bytes before the asked byte is used, the overlap skipped', async () => {
    const { name, dir, output } = await bench.prepare('early-start', connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name, { mode: 'early-start', bytes: 4096 }),
      options(connections, output),
    );

    await expectIdentical(origin, name, dir, result);
    const bites = bitten(origin, 'early-start');
    expect(bites).toBeGreaterThan(0);
    expect(result.retries).toBe(0);
    // Exactly the overlaps: 4096 bytes per bitten response, nothing else fetched twice.
    expect(wasted(origin)).toBe(4096 * bites);
  });

  it('late end: a 206 running 10 000 bytes past the asked end is used and the next request starts after it', async () => {
    const { name, dir, output } = await bench.prepare('late-end', connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name, { mode: 'late-end', bytes: 10_000, times: 2 }),
      options(connections, output),
    );

    await expectIdentical(origin, name, dir, result);
    expect(bitten(origin, 'late-end')).toBe(2);
    expect(result.retries).toBe(0);
    // The first two responses end inside their connection's run: every extra byte is used.
    expect(origin.stats.bytesServed).toBe(FILE_SIZE);
    // Some request starts 10 000 bytes past a part boundary: right after a late end.
    const starts = origin.stats.perRequest.map((r) => rangeStart(r.range) ?? 0);
    expect(starts.some((s) => s % PART_SIZE === 10_000)).toBe(true);
  });

  it('late end on every response: only tails past a connection run are read off and dropped', async () => {
    const { name, dir, output } = await bench.prepare('late-end-all', connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name, { mode: 'late-end', bytes: 10_000 }),
      options(connections, output),
    );

    await expectIdentical(origin, name, dir, result);
    expect(result.retries).toBe(0);
    // Each waste is one whole 10 000-byte tail past a run's end (read off, connection kept).
    expect(wasted(origin) % 10_000).toBe(0);
    if (connections === 1) expect(wasted(origin)).toBe(0);
    else expect(wasted(origin)).toBeLessThan(10_000 * bitten(origin, 'late-end'));
  });

  it('early end: each short 206 is continued from where it ended, nothing fetched twice', async () => {
    const { name, dir, output } = await bench.prepare('early-end', connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name, { mode: 'short-206', maxBytes: 100_000 }),
      options(connections, output),
    );

    await expectIdentical(origin, name, dir, result);
    expect(bitten(origin, 'short-206')).toBeGreaterThanOrEqual(Math.floor(FILE_SIZE / 100_000) - connections);
    expect(result.retries).toBe(0);
    expect(result.refetchedBytes).toBe(0);
    expect(origin.stats.bytesServed).toBe(FILE_SIZE);
  });

  it('not covering: a 206 starting after the asked byte is re-asked in another form, not repeated', async () => {
    const { name, dir, output } = await bench.prepare('late-start', connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name, { mode: 'wrong-range-start', shift: 4096, times: 2 }),
      options(connections, output),
    );

    await expectIdentical(origin, name, dir, result);
    expect(bitten(origin, 'wrong-range-start')).toBe(2);
    const records = origin.stats.perRequest.filter((r) => r.method === 'GET');
    for (const [i, miss] of records.entries()) {
      if (!miss.faults.includes('wrong-range-start')) continue;
      const start = rangeStart(miss.range);
      // The next request for the same start (from any connection) is not the same request.
      const next = records.slice(i + 1).find((r) => r.range === undefined || rangeStart(r.range) === start);
      expect(next, `a re-ask of byte ${start}`).toBeDefined();
      expect(next?.range).not.toBe(miss.range);
    }
    // At most the two misplaced answers are wasted: the first probe (one part) and the smaller
    // re-ask (a quarter part), both at byte 0 and dropped on sight.
    expect(wasted(origin)).toBeLessThanOrEqual(PART_SIZE + PART_SIZE / 4);
  });
});
