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

const bench = useFaultOrigin('fault-none');

describe.each(CONNECTION_MODES)('baseline without faults ($label)', ({ connections }) => {
  it('byte-identical, no retry, and the origin serves each byte once', async () => {
    const { name, dir, output } = await bench.prepare('none', connections);
    const origin = bench.origin();

    const result = await download(origin.url(name), options(connections, output));

    await expectIdentical(origin, name, dir, result);
    expect(result.ranged).toBe(true);
    expect(result.connectionsUsed).toBe(connections);
    expect(result.retries).toBe(0);
    expect(result.requests).toBe(origin.stats.requests);
    // The origin's egress, not only what the client kept: a byte pushed and dropped is a byte paid for.
    expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + PROBE_BYTES);
    // Keep-alive: each connection carries its requests; no new socket per request.
    expect(new Set(origin.stats.perRequest.map((record) => record.clientPort)).size).toBeLessThanOrEqual(
      connections,
    );
  });

  it('maxConnectionsPerHost caps the sockets to the host below the connections asked for', async () => {
    const { name, dir, output } = await bench.prepare('per-host-cap', connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name),
      options(8, output, { maxConnectionsPerHost: connections }),
    );

    await expectIdentical(origin, name, dir, result);
    expect(result.connectionsUsed).toBe(connections);
    expect(new Set(origin.stats.perRequest.map((record) => record.clientPort)).size).toBeLessThanOrEqual(
      connections,
    );
  });
});
