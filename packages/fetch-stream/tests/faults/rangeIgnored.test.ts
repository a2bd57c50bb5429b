import { describe, expect, it } from 'vitest';
import { AbortedError, download, IncompleteBodyError } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import {
  CONNECTION_MODES,
  expectIdentical,
  FILE_SIZE,
  MiB,
  options,
  PART_SIZE,
  rejectionOf,
} from './helpers/faultHarness.js';
import { pathExists } from './helpers/files.js';

const bench = useFaultOrigin('fault-ignore-range');

describe.each(CONNECTION_MODES)(
  'server ignores Range: 200 with the full body ($label)',
  ({ connections }) => {
    it('falls back to one clean stream: byte-identical, never a 200 body appended at an offset', async () => {
      const { name, dir, output } = await bench.prepare('ignore-range', connections);
      const origin = bench.origin();

      const result = await download(origin.url(name, { mode: 'ignore-range' }), options(connections, output));

      await expectIdentical(origin, name, dir, result);
      expect(result.ranged).toBe(false);
      expect(result.connectionsUsed).toBe(1);
      expect(origin.stats.perRequest.every((record) => record.status !== 206)).toBe(true);
      // The first 200 is the stream: the body is served once (one part of slack for a dropped window).
      expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + PART_SIZE);
    });

    it('a resume against a server that stopped honouring Range starts over: resumed bytes are not kept', async () => {
      const { name, dir, output } = await bench.prepare('ignore-range-on-resume', connections);
      const origin = bench.origin();
      origin.setFaults(name, { mode: 'throttle', bytesPerSecond: 4_000_000 });
      const controller = new AbortController();
      const first = await rejectionOf(
        download(
          origin.url(name),
          options(connections, output, {
            signal: controller.signal,
            progressIntervalMs: 10,
            onProgress: (event) => {
              if (event.bytes >= FILE_SIZE / 2) controller.abort();
            },
          }),
        ),
      );
      expect(first).toBeInstanceOf(AbortedError);
      origin.setFaults(name, { mode: 'ignore-range' });
      origin.resetStats();

      const result = await download(origin.url(name), options(connections, output));

      await expectIdentical(origin, name, dir, result);
      expect(result.resumedBytes).toBe(0);
      // Same ETag as before: the server ignored Range, the resource did not change.
      expect(result.validators.etag).toBe(origin.info(name).etag);
      expect(result.restartedBecauseChanged).toBe(false);
      expect(result.ranged).toBe(false);
      expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + PART_SIZE);
    });

    it('a cut in a 200 stream restarts from 0: never a 200 body appended at the offset reached', async () => {
      const { name, dir, output } = await bench.prepare('ignore-range-reset', connections);
      const origin = bench.origin();

      const result = await download(
        origin.url(name, [{ mode: 'ignore-range' }, { mode: 'reset', afterBytes: MiB, times: 1 }]),
        options(connections, output),
      );

      await expectIdentical(origin, name, dir, result);
      expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + MiB);
    });

    it('a chunked 200 with no length that ends without its last chunk is never taken as the whole file', async () => {
      const { name, dir, output } = await bench.prepare('ignore-range-chunked', connections);
      const origin = bench.origin();

      const result = await download(
        origin.url(name, [
          { mode: 'ignore-range' },
          { mode: 'truncated-chunked', afterBytes: MiB, times: 1 },
        ]),
        options(connections, output),
      );

      await expectIdentical(origin, name, dir, result);
      expect(origin.stats.perRequest[0]?.faults).toContain('truncated-chunked');
    });

    it('when every chunked 200 ends without its last chunk: IncompleteBodyError, no output file', async () => {
      const { name, output } = await bench.prepare('ignore-range-chunked-always', connections);
      const origin = bench.origin();

      const error = await rejectionOf(
        download(
          origin.url(name, [{ mode: 'ignore-range' }, { mode: 'truncated-chunked', afterBytes: MiB }]),
          options(connections, output, { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } }),
        ),
      );

      expect(error).toBeInstanceOf(IncompleteBodyError);
      expect(await pathExists(output)).toBe(false);
    });
  },
);
