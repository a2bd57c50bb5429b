/** Page sizes and opaque cursors: one rule for every store and route. */
import { ServiceError } from './errors.js';

/** Largest page any list answers. */
export const MAX_PAGE_SIZE = 1000;
/** Deliveries per page when no limit is given. */
export const DEFAULT_DELIVERY_PAGE_SIZE = 50;
/** Files per page when no limit is given (also the first page of `GET /deliveries/{id}`). */
export const DEFAULT_FILE_PAGE_SIZE = 100;

/** `limit` made whole and clamped to 1..{@link MAX_PAGE_SIZE}; `fallback` when absent. */
export function pageLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(Math.max(Math.trunc(limit), 1), MAX_PAGE_SIZE);
}

function invalidCursor(): ServiceError {
  return new ServiceError('INVALID_CURSOR', 'The paging cursor is not valid; start again without a cursor.');
}

/** An opaque cursor holding `parts` (base64url of a JSON array). */
export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/**
 * The parts of a cursor made by {@link encodeCursor}, checked against `kinds` (numbers must be
 * non-negative safe integers).
 * @throws ServiceError `INVALID_CURSOR` for anything else
 */
export function decodeCursor<const K extends readonly ('string' | 'number')[]>(
  cursor: string,
  kinds: K,
): { -readonly [I in keyof K]: K[I] extends 'number' ? number : string } {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw Object.assign(invalidCursor(), { cause: error });
  }
  if (!Array.isArray(value) || value.length !== kinds.length) throw invalidCursor();
  kinds.forEach((kind, index) => {
    const part: unknown = value[index];
    const ok =
      kind === 'number'
        ? typeof part === 'number' && Number.isSafeInteger(part) && part >= 0
        : typeof part === 'string' && part.length > 0;
    if (!ok) throw invalidCursor();
  });
  return value as { -readonly [I in keyof K]: K[I] extends 'number' ? number : string };
}

/** Cursor of a file page: the index of the last file it holds. Every store pages files by index. */
export function fileCursor(lastIndex: number): string {
  return encodeCursor(['f', lastIndex]);
}

/** The index after which the next file page starts. @throws ServiceError `INVALID_CURSOR` */
export function afterIndexOf(cursor: string): number {
  const [tag, index] = decodeCursor(cursor, ['string', 'number'] as const);
  if (tag !== 'f') throw invalidCursor();
  return index;
}

/**
 * The index after which a file page starts: after the cursor's file, and not before `fromIndex`
 * (the later of the two when both are given).
 * @throws ServiceError `INVALID_CURSOR`
 */
export function startAfter(query: { readonly cursor?: string; readonly fromIndex?: number }): number {
  const afterCursor = query.cursor === undefined ? -1 : afterIndexOf(query.cursor);
  const fromIndex = query.fromIndex === undefined ? 0 : Math.max(0, Math.trunc(query.fromIndex));
  return Math.max(afterCursor, fromIndex - 1);
}
