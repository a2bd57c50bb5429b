import { describe, expect, it } from 'vitest';
import { download } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import {
  CONNECTION_MODES,
  expectIdentical,
  FILE_SIZE,
  options,
  PROBE_BYTES,
} from './helpers/faultHarness.js';

const bench = useFaultOrigin('fault-weak-etag');

describe.each(CONNECTION_MODES)('a weak ETag ($label)', ({ connections }) => {
  it('is never sent as If-Range; Last-Modified is, and ranged transfer works: byte-identical', async () => {
    const { name, dir, output } = await bench.prepare('weak-etag', connections);
    const origin = bench.origin();

    const result = await download(origin.url(name, { mode: 'weak-etag' }), options(connections, output));

    await expectIdentical(origin, name, dir, result);
    const conditional = origin.stats.perRequest.filter((record) => record.ifRange !== undefined);
    expect(conditional.every((record) => record.ifRange === origin.info(name).lastModified)).toBe(true);
    expect(origin.stats.perRequest.every((record) => record.status !== 200)).toBe(true);
    expect(result.ranged).toBe(true);
    expect(result.connectionsUsed).toBe(connections);
    expect(result.restartedBecauseChanged).toBe(false);
    expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + PROBE_BYTES);
  });
});
