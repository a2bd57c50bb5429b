/** How a delivery's counts follow its files: one rule for every store. */
import type { DeliveryCounts, FileRecord, FileStatus } from './delivery.js';
import type { FileSpec } from './fileSpec.js';

/** The counts of a delivery without files. */
export const EMPTY_COUNTS: DeliveryCounts = Object.freeze({
  files: 0,
  pending: 0,
  downloading: 0,
  completed: 0,
  failed: 0,
  bytesExpected: 0,
  sizeUnknown: 0,
  bytesDone: 0,
});

/** The counts of a freshly stored list: every file pending, nothing stored yet. */
export function countsOfNewFiles(files: readonly FileSpec[]): DeliveryCounts {
  let bytesExpected = 0;
  let sizeUnknown = 0;
  for (const file of files) {
    if (file.size === undefined) sizeUnknown += 1;
    else bytesExpected += file.size;
  }
  return { ...EMPTY_COUNTS, files: files.length, pending: files.length, bytesExpected, sizeUnknown };
}

/** The fields of a file record that its delivery's counts depend on. */
export type CountedFile = Pick<FileRecord, 'status' | 'bytes' | 'size'>;

/** A change of the counts: only the fields that move, by how much (negative to decrease). */
export type CountsDelta = { -readonly [K in keyof DeliveryCounts]?: number };

const STATUS_FIELD: Readonly<Record<FileStatus, keyof DeliveryCounts>> = {
  pending: 'pending',
  downloading: 'downloading',
  completed: 'completed',
  failed: 'failed',
};

/** What one file going from `before` to `after` does to its delivery's counts. */
export function countsDelta(before: CountedFile, after: CountedFile): CountsDelta {
  const delta: CountsDelta = {};
  const add = (field: keyof DeliveryCounts, by: number) => {
    if (by === 0) return;
    delta[field] = (delta[field] ?? 0) + by;
  };
  if (before.status !== after.status) {
    add(STATUS_FIELD[before.status], -1);
    add(STATUS_FIELD[after.status], 1);
  }
  add('bytesDone', after.bytes - before.bytes);
  add('bytesExpected', (after.size ?? 0) - (before.size ?? 0));
  add('sizeUnknown', (after.size === undefined ? 1 : 0) - (before.size === undefined ? 1 : 0));
  return delta;
}

/** The counted fields of a file after `patch` (an update that changes none of them keeps them). */
export function countedAfter(
  before: CountedFile,
  patch: { readonly status?: FileStatus; readonly bytes?: number; readonly size?: number },
): CountedFile {
  const size = patch.size ?? before.size;
  return {
    status: patch.status ?? before.status,
    bytes: patch.bytes ?? before.bytes,
    ...(size === undefined ? {} : { size }),
  };
}

/** The sum of two deltas. */
export function addDeltas(a: CountsDelta, b: CountsDelta): CountsDelta {
  const sum: CountsDelta = { ...a };
  for (const [field, by] of Object.entries(b) as [keyof DeliveryCounts, number][]) {
    sum[field] = (sum[field] ?? 0) + by;
  }
  return sum;
}

/** `counts` with `delta` applied. */
export function applyCountsDelta(counts: DeliveryCounts, delta: CountsDelta): DeliveryCounts {
  const next = { ...counts };
  for (const [field, by] of Object.entries(delta) as [keyof DeliveryCounts, number][]) next[field] += by;
  return next;
}

/** The fields of `delta` that move, in a fixed order (for building one update statement). */
export function deltaEntries(delta: CountsDelta): [keyof DeliveryCounts, number][] {
  return (Object.keys(EMPTY_COUNTS) as (keyof DeliveryCounts)[])
    .filter((field) => (delta[field] ?? 0) !== 0)
    .map((field) => [field, delta[field] ?? 0]);
}
