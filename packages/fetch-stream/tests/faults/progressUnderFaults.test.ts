import type { Fault } from '@downloader/fault-origin';
import { describe, expect, it } from 'vitest';
import { download, type ProgressEvent } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import { CONNECTION_MODES, expectIdentical, FILE_SIZE, KiB, MiB, options } from './helpers/faultHarness.js';

const bench = useFaultOrigin('fault-progress');

const cases: ReadonlyArray<{ label: string; faults: ReadonlyArray<Fault> }> = [
  { label: 'resets', faults: [{ mode: 'reset', afterBytes: 100 * KiB, times: 3 }] },
  { label: 'short 206s', faults: [{ mode: 'short-206', maxBytes: 100_000 }] },
  {
    label: 'a change then a cut',
    faults: [
      { mode: 'change', afterRequests: 1 },
      { mode: 'long-content-length', afterBytes: MiB, times: 1 },
    ],
  },
];

describe.each(CONNECTION_MODES)('progress under faults ($label)', ({ connections }) => {
  it.each(cases)(
    'with $label: never above the total, and the last event says complete',
    async ({ faults }) => {
      const { name, dir, output } = await bench.prepare('progress', connections);
      const origin = bench.origin();
      const events: ProgressEvent[] = [];

      const result = await download(
        origin.url(name, faults),
        options(connections, output, { progressIntervalMs: 0, onProgress: (event) => events.push(event) }),
      );

      await expectIdentical(origin, name, dir, result);
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) {
        expect(event.bytes).toBeGreaterThanOrEqual(0);
        expect(event.bytes).toBeLessThanOrEqual(FILE_SIZE);
        if (event.total !== undefined) expect(event.total).toBe(FILE_SIZE);
        expect(Number.isFinite(event.rate)).toBe(true);
      }
      expect(events.at(-1)).toMatchObject({ bytes: FILE_SIZE, total: FILE_SIZE });
    },
  );
});
