import { describe, expect, it } from 'vitest';
import { download, IncompleteBodyError } from '../../src/index.js';
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

const bench = useFaultOrigin('fault-incomplete');

const cases = [
  {
    label: 'Content-Length longer than the body, then close',
    fault: { mode: 'long-content-length', missingBytes: 1000 },
    /** Headers declare the length, then the connection closes before the first byte. */
    always: { mode: 'long-content-length', missingBytes: FILE_SIZE },
  },
  {
    label: 'chunked body without its terminating chunk',
    fault: { mode: 'truncated-chunked', afterBytes: 150 * KiB },
    always: { mode: 'truncated-chunked', afterBytes: 0 },
  },
] as const;

describe.each(CONNECTION_MODES)('incomplete bodies ($label)', ({ connections }) => {
  describe.each(cases)('$label', ({ fault, always }) => {
    it('is a retryable premature end: resumes, byte-identical, at most one part again per cut', async () => {
      const { name, dir, output } = await bench.prepare(fault.mode, connections);
      const origin = bench.origin();

      const result = await download(origin.url(name, { ...fault, times: 2 }), options(connections, output));

      await expectIdentical(origin, name, dir, result);
      expect(bitten(origin, fault.mode)).toBe(2);
      expect(result.retries).toBeGreaterThanOrEqual(2);
      expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + 2 * PART_SIZE + PROBE_BYTES);
    });

    it('when every response ends before its first byte: IncompleteBodyError after retries, no output', async () => {
      const { name, output } = await bench.prepare(`${fault.mode}-always`, connections);
      const origin = bench.origin();

      const error = await rejectionOf(
        download(
          origin.url(name, always),
          options(connections, output, { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } }),
        ),
      );

      expect(error).toBeInstanceOf(IncompleteBodyError);
      expect(error).toMatchObject({ code: 'INCOMPLETE_BODY', retryable: true });
      expect(await pathExists(output)).toBe(false);
      expect(origin.stats.bytesServed).toBe(0);
    });
  });
});
