import { describe, expect, it } from 'vitest';
import { download } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import { CONNECTION_MODES, expectIdentical, FILE_SIZE, options } from './helpers/faultHarness.js';

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
      // One full body, plus whatever an abandoned 200 pushed into socket buffers before it was dropped.
      expect(origin.stats.bytesServed).toBeLessThanOrEqual(2 * FILE_SIZE);
    });
  },
);
