import { join } from 'node:path';
import type { FaultOrigin } from '@downloader/fault-origin';
import { expect } from 'vitest';
import type { DownloadOptions, DownloadResult } from '../../../src/index.js';
import { filesIn, sha256OfFile } from './files.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;
/** Not a multiple of the part size, so the last part is short. */
export const FILE_SIZE = 6 * MiB + 12_345;
/** Small parts so that 4 connections really split a 6 MiB file. */
export const PART_SIZE = 256 * KiB;
/** A `Range: bytes=0-0` probe may cost one byte (DESIGN: "GET Range: bytes=0-0 where HEAD is refused"). */
export const PROBE_BYTES = 1;

/** Every fault runs once over one connection and once over four. */
export const CONNECTION_MODES = [
  { label: '1 connection', connections: 1 },
  { label: '4 connections', connections: 4 },
] as const;

/** Options shared by the fault tests: small parts, quick retries, timeouts that catch hangs. */
export function options(
  connections: number,
  output: string,
  extra: Partial<DownloadOptions> = {},
): DownloadOptions {
  return {
    output,
    connections,
    partSize: PART_SIZE,
    retry: { retries: 5, baseDelayMs: 5, maxDelayMs: 100 },
    timeouts: { connect: 5000, responseHeaders: 5000, idle: 5000 },
    ...extra,
  };
}

let namesIssued = 0;

/** A resource name unique to one test, so fault counters and versions never leak between tests. */
export function uniqueName(mode: string, connections: number): string {
  namesIssued += 1;
  return `${mode}-c${connections}-${namesIssued}.bin`;
}

/** Requests on which the origin applied `mode`. */
export function bitten(origin: FaultOrigin, mode: string): number {
  return origin.stats.perRequest.filter((record) => record.faults.includes(mode)).length;
}

/**
 * The download is byte-identical to the origin's current version of `name`, the result says so,
 * and nothing but the output file is left in its directory.
 */
export async function expectIdentical(
  origin: FaultOrigin,
  name: string,
  dir: string,
  result: DownloadResult,
): Promise<void> {
  const expected = origin.info(name);
  expect(result.bytes).toBe(expected.size);
  expect(result.sha256).toBe(expected.sha256);
  expect(await sha256OfFile(join(dir, name))).toBe(expected.sha256);
  expect(await filesIn(dir)).toEqual([name]);
}

/** Awaits a promise that must reject and returns the reason. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the download to fail, but it succeeded');
}
