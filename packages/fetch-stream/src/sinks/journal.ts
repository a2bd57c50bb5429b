import { constants } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ResourceValidators } from '../types.js';

/** On-disk format version; a journal of another version is ignored (start over). */
export const JOURNAL_VERSION = 1;

/** What the journal file holds. */
export interface Journal {
  readonly version: number;
  readonly url: string;
  readonly validators: ResourceValidators;
  readonly total: number;
  readonly partSize: number;
  /** [part index, crc32] pairs, sorted by index. */
  readonly parts: ReadonlyArray<readonly [number, number]>;
}

/**
 * Replaces the journal atomically: write a temp file, rename it over the journal. A killed
 * process leaves the old or the new journal, never a torn one. With `durable`, the temp file
 * is fsynced before the rename and the directory after it, so that holds after power loss too.
 */
export async function writeJournalAtomic(path: string, journal: Journal, durable = true): Promise<void> {
  const tmp = tempPathOf(path);
  // Never through a link planted at the temp name: it would redirect the write elsewhere.
  const fh = await open(
    tmp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
    0o644,
  );
  try {
    await fh.writeFile(JSON.stringify(journal));
    if (durable) await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  if (durable) await syncDir(dirname(path));
}

/** Reads and validates a journal; undefined when missing, unreadable, or of another shape. */
export async function readJournal(path: string): Promise<Journal | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isJournal(data) ? data : undefined;
}

/** Removes the journal and any temp file a killed process left between write and rename. */
export async function removeJournal(path: string): Promise<void> {
  for (const p of [path, tempPathOf(path)]) {
    await unlink(p).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
}

/**
 * One fixed temp name per journal (one writer per output file): a temp file left by a killed
 * process is simply replaced by the next write, never accumulated.
 */
function tempPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp`);
}

/** fsync a directory so a rename in it survives power loss (no-op where unsupported). */
export async function syncDir(dir: string): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Some platforms/filesystems refuse fsync on directories; the rename is still atomic.
  } finally {
    await fh?.close();
  }
}

function isJournal(d: unknown): d is Journal {
  if (typeof d !== 'object' || d === null) return false;
  const j = d as Record<string, unknown>;
  const v = j.validators as Record<string, unknown> | undefined;
  return (
    j.version === JOURNAL_VERSION &&
    typeof j.url === 'string' &&
    typeof v === 'object' &&
    v !== null &&
    (v.etag === undefined || typeof v.etag === 'string') &&
    (v.lastModified === undefined || typeof v.lastModified === 'string') &&
    isSize(j.total) &&
    isSize(j.partSize) &&
    (j.partSize as number) > 0 &&
    Array.isArray(j.parts) &&
    j.parts.every(
      (p: unknown) =>
        Array.isArray(p) && p.length === 2 && isSize(p[0]) && isSize(p[1]) && (p[1] as number) <= 0xffffffff,
    )
  );
}

function isSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}
