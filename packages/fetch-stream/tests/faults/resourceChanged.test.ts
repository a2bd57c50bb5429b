import { describe, expect, it } from 'vitest';
import { AbortedError, download, ResourceChangedError } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import {
  CONNECTION_MODES,
  expectIdentical,
  FILE_SIZE,
  KiB,
  MiB,
  options,
  PART_SIZE,
  rejectionOf,
} from './helpers/faultHarness.js';
import { pathExists } from './helpers/files.js';

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

  it('after a change, a cut in the new version resumes that version instead of fetching it again', async () => {
    const { name, dir, output } = await bench.prepare('change-then-cut', connections);
    const origin = bench.origin();
    const before = origin.info(name);

    // The change shows as a 200 to the second request (If-Range no longer matches); that new-version
    // response is then closed after 1 MiB (a FIN: every byte sent arrives, so all of it can be kept).
    const result = await download(
      origin.url(name, [
        { mode: 'change', afterRequests: 1 },
        { mode: 'long-content-length', afterBytes: MiB, times: 1 },
      ]),
      options(connections, output),
    );

    const after = origin.info(name);
    await expectIdentical(origin, name, dir, result);
    expect(result.restartedBecauseChanged).toBe(true);
    const servedOf = (etag: string) =>
      origin.stats.perRequest
        .filter((record) => record.etag === etag)
        .reduce((sum, record) => sum + record.bytes, 0);
    expect(servedOf(before.etag)).toBeLessThanOrEqual(FILE_SIZE);
    // The 1 MiB received before the cut is the new version's: kept, not fetched again. Each connection
    // in flight when the change showed may lose one part (its own 200, dropped).
    expect(servedOf(after.etag)).toBeLessThanOrEqual(FILE_SIZE + connections * PART_SIZE);
  });

  it('a resource that changed between two runs is not resumed: the rerun starts over on the new version', async () => {
    const { name, dir, output } = await bench.prepare('change-between-runs', connections);
    const origin = bench.origin();
    // Paced so that the abort lands mid-transfer.
    origin.setFaults(name, { mode: 'throttle', bytesPerSecond: 4_000_000 });
    const controller = new AbortController();
    const first = await rejectionOf(
      download(
        origin.url(name),
        options(connections, output, {
          signal: controller.signal,
          progressIntervalMs: 10,
          onProgress: (event) => {
            if (event.bytes >= FILE_SIZE / 3) controller.abort();
          },
        }),
      ),
    );
    expect(first).toBeInstanceOf(AbortedError);
    const old = origin.info(name);
    origin.addFile(name, FILE_SIZE);
    origin.setFaults(name, undefined);
    origin.resetStats();

    const result = await download(origin.url(name), options(connections, output));

    const fresh = origin.info(name);
    expect(fresh.etag).not.toBe(old.etag);
    await expectIdentical(origin, name, dir, result);
    expect(result.resumedBytes).toBe(0);
    expect(result.validators.etag).toBe(fresh.etag);
    // Nothing of the old version was trusted: the new version was fetched whole, once (plus one part).
    expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + PART_SIZE);
  });

  it('a resource that keeps changing fails with ResourceChangedError after maxRestarts, no output file', async () => {
    const { name, output } = await bench.prepare('change-forever', connections);
    const origin = bench.origin();

    const error = await rejectionOf(
      download(
        // A new version at every request after the first, and every response long enough is cut,
        // so every attempt sees another version.
        origin.url(name, [
          { mode: 'change', afterRequests: 1, every: true },
          { mode: 'reset', afterBytes: 300 * KiB },
        ]),
        options(connections, output, { maxRestarts: 2 }),
      ),
    );

    expect(error).toBeInstanceOf(ResourceChangedError);
    expect(error).toMatchObject({ code: 'RESOURCE_CHANGED' });
    expect(await pathExists(output)).toBe(false);
    // It gave up instead of chasing versions: 1 + maxRestarts versions fetched, at most a few more seen.
    expect(origin.info(name).version).toBeLessThanOrEqual(1 + 2 + connections + 1);
  });
});
