/** The file rows of the SQLite store: written in one transaction per list, paged by index, counted. */
import type { DeliveryCounts, FilePage, FileRecord, FileStatus } from '../../../domain/delivery.js';
import {
  addDeltas,
  type CountsDelta,
  countedAfter,
  countsDelta,
  countsOfNewFiles,
  deltaEntries,
} from '../../../domain/fileCounts.js';
import { type FilePatch, type FileUpdate, patchChanges, patchOfUpdate } from '../../../domain/filePatch.js';
import type { FileSpec } from '../../../domain/fileSpec.js';
import { DEFAULT_FILE_PAGE_SIZE, fileCursor, pageLimit, startAfter } from '../../../domain/paging.js';
import type { ListFilesQuery } from '../../../ports/DeliveryStore.js';
import { type FileRow, toFileRecord } from './rows.js';
import type { StatementCache } from './StatementCache.js';
import { COUNT_COLUMNS } from './schema.js';

const PATCH_COLUMNS: Readonly<Record<keyof FilePatch, string>> = {
  status: 'status',
  bytes: 'bytes',
  size: 'size',
  sha256: 'sha256',
  route: 'route',
  error: 'error_json',
};

function statusList(status: ListFilesQuery['status']): readonly FileStatus[] {
  return status === undefined ? [] : typeof status === 'string' ? [status] : status;
}

const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

/** Inserts `files` as rows 0..N-1 and sets the delivery's counts; the caller holds the transaction. */
export function insertFiles(
  sql: StatementCache,
  id: string,
  files: readonly FileSpec[],
  stamp: string,
): void {
  const insert = sql.get(
    `INSERT INTO files (delivery_id, idx, name, source_url, size, expected_json, status)
     VALUES (?, ?, ?, ?, ?, ?, 'pending')`,
  );
  files.forEach((file, index) => {
    insert.run(
      id,
      index,
      file.name,
      file.url,
      file.size ?? null,
      file.checksums === undefined ? null : JSON.stringify(file.checksums),
    );
  });
  const counts = countsOfNewFiles(files);
  const fields = Object.keys(COUNT_COLUMNS) as (keyof DeliveryCounts)[];
  sql
    .get(
      `UPDATE deliveries SET updated_at = ?, ${fields.map((field) => `${COUNT_COLUMNS[field]} = ?`).join(', ')}
       WHERE id = ?`,
    )
    .run(stamp, ...fields.map((field) => counts[field]), id);
}

/** One page of files in index order (the primary key, or the status index when filtered). */
export function listFiles(sql: StatementCache, id: string, query: ListFilesQuery): FilePage {
  const limit = pageLimit(query.limit, DEFAULT_FILE_PAGE_SIZE);
  const statuses = statusList(query.status);
  const after = startAfter(query);
  const filter = statuses.length > 0 ? `AND status IN (${placeholders(statuses.length)})` : '';
  const rows = sql
    .get(`SELECT * FROM files WHERE delivery_id = ? AND idx > ? ${filter} ORDER BY idx LIMIT ?`)
    .all(id, after, ...statuses, limit + 1) as FileRow[];
  const items = rows.slice(0, limit).map(toFileRecord);
  const last = items.at(-1);
  return {
    items,
    ...(rows.length > limit && last !== undefined ? { nextCursor: fileCursor(last.index) } : {}),
  };
}

/** Indices of files in `statuses` from `fromIndex` on, ascending, at most `limit`. */
export function listFileIndices(
  sql: StatementCache,
  id: string,
  query: { readonly statuses: readonly FileStatus[]; readonly fromIndex: number; readonly limit: number },
): number[] {
  if (query.statuses.length === 0 || query.limit < 1) return [];
  const rows = sql
    .get(
      `SELECT idx FROM files WHERE delivery_id = ? AND idx >= ? AND status IN (${placeholders(query.statuses.length)})
       ORDER BY idx LIMIT ?`,
    )
    .all(id, query.fromIndex, ...query.statuses, query.limit) as { idx: number }[];
  return rows.map((row) => row.idx);
}

export function getFile(sql: StatementCache, id: string, index: number): FileRecord | undefined {
  const row = sql.get('SELECT * FROM files WHERE delivery_id = ? AND idx = ?').get(id, index) as
    | FileRow
    | undefined;
  return row === undefined ? undefined : toFileRecord(row);
}

/** Adds `delta` to the delivery's counts and stamps it: one O(1) update of the delivery row. */
function applyDelta(sql: StatementCache, id: string, delta: CountsDelta, stamp: string): void {
  const entries = deltaEntries(delta);
  const sets = entries.map(([field]) => `, ${COUNT_COLUMNS[field]} = ${COUNT_COLUMNS[field]} + ?`).join('');
  sql
    .get(`UPDATE deliveries SET updated_at = ?${sets} WHERE id = ?`)
    .run(stamp, ...entries.map(([, by]) => by), id);
}

interface CountedRow {
  readonly status: FileStatus;
  readonly bytes: number;
  readonly size: number | null;
}

/**
 * Changes one file row (and adds an attempt when asked); the caller holds the transaction and
 * applies the returned counts delta. Undefined when there is no such file.
 */
function changeFile(
  sql: StatementCache,
  id: string,
  index: number,
  patch: FilePatch,
  addAttempt: boolean,
): { readonly delta: CountsDelta; readonly attempts?: number } | undefined {
  const { sets, removes } = patchChanges(patch);
  if (sets.length === 0 && removes.length === 0 && !addAttempt) return { delta: {} };
  const row = sql
    .get('SELECT status, bytes, size FROM files WHERE delivery_id = ? AND idx = ?')
    .get(id, index) as CountedRow | undefined;
  if (row === undefined) return undefined;
  const columns = [
    ...(addAttempt ? ['attempts = attempts + 1'] : []),
    ...sets.map(([field]) => `${PATCH_COLUMNS[field]} = ?`),
    ...removes.map((field) => `${PATCH_COLUMNS[field]} = NULL`),
  ];
  const values = sets.map(([, value]) => (typeof value === 'object' ? JSON.stringify(value) : value));
  const updated = sql
    .get(`UPDATE files SET ${columns.join(', ')} WHERE delivery_id = ? AND idx = ? RETURNING attempts`)
    .get(...values, id, index) as { attempts: number };
  const before = { status: row.status, bytes: row.bytes, ...(row.size === null ? {} : { size: row.size }) };
  return { delta: countsDelta(before, countedAfter(before, patch)), attempts: updated.attempts };
}

/** Applies `patch` to one file row and its delta to the counts; the caller holds the transaction. */
export function patchFile(
  sql: StatementCache,
  id: string,
  index: number,
  patch: FilePatch,
  stamp: string,
): void {
  const changed = changeFile(sql, id, index, patch, false);
  if (changed?.attempts !== undefined) applyDelta(sql, id, changed.delta, stamp);
}

/**
 * One more attempt, status `downloading`, the route when given; the caller holds the transaction.
 * @returns the new attempt count, or undefined when there is no such file
 */
export function startAttempt(
  sql: StatementCache,
  id: string,
  index: number,
  route: 'small' | 'large' | undefined,
  stamp: string,
): number | undefined {
  const patch = patchOfUpdate({ patch: route === undefined ? {} : { route }, addAttempt: true });
  const changed = changeFile(sql, id, index, patch, true);
  if (changed === undefined) return undefined;
  applyDelta(sql, id, changed.delta, stamp);
  return changed.attempts;
}

/** Applies every update in order and their summed delta in one counts update; the caller holds the transaction. */
export function updateFiles(
  sql: StatementCache,
  id: string,
  updates: readonly FileUpdate[],
  stamp: string,
): void {
  let delta: CountsDelta = {};
  let changedAny = false;
  for (const update of updates) {
    const changed = changeFile(sql, id, update.index, patchOfUpdate(update), update.addAttempt === true);
    if (changed?.attempts === undefined) continue;
    changedAny = true;
    delta = addDeltas(delta, changed.delta);
  }
  if (changedAny) applyDelta(sql, id, delta, stamp);
}
