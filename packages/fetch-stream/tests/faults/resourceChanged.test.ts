import { describe, expect, it } from 'vitest';
import { download } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import { CONNECTION_MODES, expectIdentical, FILE_SIZE, KiB, MiB, options } from './helpers/faultHarness.js';

const bench = useFaultOrigin('fault-change');

describe.each(CONNECTION_MODES)('resource changed mid-transfer ($label)', ({ connections }) => {
  it('never splices two versions: restarts from 0, says so, and holds exactly the new version', async () => {
    const { name, dir, output } = await bench.prepare('change', connections);
    const origin = bench.origin();
    const before = origin.info(name);
    // One connection: the long stream is cut at 1 MiB as the file changes. Four: the third part is.
    const fault =
      connections === 1
        ? ({ mode: 'change', afterRequests: 1, cutAfterBytes: MiB } as const)
        : ({ mode: 'change', afterRequests: 3, cutAfterBytes: 64 * KiB } as const);

    const result = await download(origin.url(name, fault), options(connections, output));

    const after = origin.info(name);
    expect(after.version).toBe(before.version + 1);
    expect(after.sha256).not.toBe(before.sha256);
    await expectIdentical(origin, name, dir, result);
    expect(result.restartedBecauseChanged).toBe(true);
    expect(result.validators.etag).toBe(after.etag);
    // The old version's bytes served before the change, then the new version once.
    expect(origin.stats.bytesServed).toBeLessThanOrEqual(2 * FILE_SIZE);
  });
});
