import { describe, expect, it } from 'vitest';
import { download, ProtocolError } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import {
  bitten,
  CONNECTION_MODES,
  expectIdentical,
  FILE_SIZE,
  options,
  PART_SIZE,
  PROBE_BYTES,
  rejectionOf,
} from './helpers/faultHarness.js';
import { pathExists } from './helpers/files.js';

const bench = useFaultOrigin('fault-content-range');

describe.each(CONNECTION_MODES)('206 with a wrong Content-Range start ($label)', ({ connections }) => {
  it('rejects the misplaced 206 and retries: byte-identical, misplaced bytes never written', async () => {
    const { name, dir, output } = await bench.prepare('wrong-start', connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name, { mode: 'wrong-range-start', shift: 4096, times: 2 }),
      options(connections, output),
    );

    await expectIdentical(origin, name, dir, result);
    expect(bitten(origin, 'wrong-range-start')).toBe(2);
    expect(result.retries).toBeGreaterThanOrEqual(2);
    expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + 2 * PART_SIZE + PROBE_BYTES);
  });

  it('a server that always misplaces fails with ProtocolError and creates no output file', async () => {
    const { name, output } = await bench.prepare('wrong-start-always', connections);
    const origin = bench.origin();

    const error = await rejectionOf(
      download(
        origin.url(name, { mode: 'wrong-range-start', shift: 4096 }),
        options(connections, output, { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } }),
      ),
    );

    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'PROTOCOL' });
    expect(await pathExists(output)).toBe(false);
  });
});

describe.each(CONNECTION_MODES)(
  'short 206: fewer bytes than asked, honestly labelled ($label)',
  ({ connections }) => {
    it('continues from where each short 206 ended: byte-identical, nothing fetched twice', async () => {
      const { name, dir, output } = await bench.prepare('short-206', connections);
      const origin = bench.origin();

      const result = await download(
        origin.url(name, { mode: 'short-206', maxBytes: 100_000 }),
        options(connections, output),
      );

      await expectIdentical(origin, name, dir, result);
      // Every range longer than 100 000 bytes was cut; only each connection's last response may be whole.
      expect(bitten(origin, 'short-206')).toBeGreaterThanOrEqual(
        Math.floor(FILE_SIZE / 100_000) - connections,
      );
      expect(result.refetchedBytes).toBe(0);
      expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + PROBE_BYTES);
    });
  },
);
