import type { FaultOrigin } from '@downloader/fault-origin';
import { describe, expect, it } from 'vitest';
import {
  type CompletedPart,
  download,
  type Sink,
  type SinkCapabilities,
  type SinkResumeState,
} from '../../src/index.js';
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

/** A sink like an object-store upload: parts handed over in order, nothing read back. */
class OrderedMemorySink implements Sink {
  readonly capabilities: SinkCapabilities = { readBack: false, maxBufferedParts: 2 };
  private readonly stored = new Map<number, Buffer>();
  async open(): Promise<SinkResumeState | undefined> {
    return undefined;
  }
  async begin(): Promise<void> {
    this.stored.clear();
  }
  async write(offset: number, data: Uint8Array): Promise<void> {
    this.stored.set(offset, Buffer.from(data));
  }
  async commitPart(_part: CompletedPart): Promise<void> {}
  async finalize(): Promise<void> {}
  async discard(): Promise<void> {}
  async close(): Promise<void> {}
  bytes(): Buffer {
    return Buffer.concat([...this.stored.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b));
  }
}

describe('ranged responses judged by what they say, elsewhere', () => {
  it('a resume whose probe gets a 206 starting early keeps the stored parts and skips the overlap', async () => {
    const { name, dir, output } = await bench.prepare('early-start-resume', 1);
    const origin = bench.origin();
    // First run: the second response (two parts) is cut just past its first part: two parts
    // are stored (the probe's and that one), and the run gives up.
    origin.setFaults(name, { mode: 'reset', afterBytes: PART_SIZE + 1000 });
    await download(origin.url(name), options(1, output, { retry: { retries: 0 } })).catch(() => undefined);
    origin.setFaults(name, undefined);
    origin.resetStats();

    const result = await download(origin.url(name, { mode: 'early-start', bytes: 4096 }), options(1, output));

    await expectIdentical(origin, name, dir, result);
    expect(result.resumedBytes).toBe(2 * PART_SIZE);
    // The resumed probe starts at the first missing part and is bitten like every later request.
    expect(origin.stats.perRequest[0]?.range).toMatch(new RegExp(`^bytes=${2 * PART_SIZE}-`));
    expect(origin.stats.perRequest[0]?.faults).toEqual(['early-start']);
    expect(origin.stats.bytesServed).toBe(FILE_SIZE - 2 * PART_SIZE + 4096 * bitten(origin, 'early-start'));
  });

  it('a sink without read-back gets the same bytes from early-start and late-end 206s', async () => {
    const origin = bench.origin();
    const name = 'ordered-overlap.bin';
    origin.addFile(name, FILE_SIZE);
    origin.resetStats();
    const sink = new OrderedMemorySink();

    const result = await download(
      origin.url(name, [
        { mode: 'early-start', bytes: 4096 },
        { mode: 'late-end', bytes: 10_000 },
      ]),
      { sink, connections: 4, partSize: PART_SIZE, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } },
    );

    expect(result.sha256).toBe(origin.info(name).sha256);
    expect(sink.bytes().equals(origin.bytes(name))).toBe(true);
    expect(result.retries).toBe(0);
  });
});
