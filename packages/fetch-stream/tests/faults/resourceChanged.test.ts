import { describe, expect, it } from 'vitest';
import { download } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import {
  CONNECTION_MODES,
  expectIdentical,
  FILE_SIZE,
  KiB,
  MiB,
  options,
  PART_SIZE,
} from './helpers/faultHarness.js';

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
    // The old version's bytes are lost to the change; the new version is served once, plus at most
    // one part for the interruption the change caused.
    const servedOf = (etag: string) =>
      origin.stats.perRequest
        .filter((record) => record.etag === etag)
        .reduce((sum, record) => sum + record.bytes, 0);
    expect(servedOf(before.etag)).toBeLessThanOrEqual(FILE_SIZE);
    expect(servedOf(after.etag)).toBeLessThanOrEqual(FILE_SIZE + PART_SIZE);
  });
});
