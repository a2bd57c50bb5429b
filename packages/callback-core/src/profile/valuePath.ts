/**
 * Paths that locate a value inside a JSON document: a JSON pointer (`/data/files`, RFC 6901,
 * `''` is the whole document) or a dot path (`data.files`, `items.0.url`).
 */

const MAX_PATH_LENGTH = 512;
const MAX_SEGMENTS = 32;

/** Splits a path into segments, or returns `undefined` when it is not a valid path. */
export function parseValuePath(path: string): string[] | undefined {
  if (path.length > MAX_PATH_LENGTH) return undefined;
  let segments: string[];
  if (path === '') {
    segments = [];
  } else if (path.startsWith('/')) {
    const raw = path.slice(1).split('/');
    // "~" must be followed by 0 or 1 (RFC 6901 section 3).
    if (raw.some((s) => /~(?![01])/.test(s))) return undefined;
    segments = raw.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  } else {
    segments = path.split('.');
    if (segments.some((s) => s === '')) return undefined;
  }
  return segments.length > MAX_SEGMENTS ? undefined : segments;
}

/** True when `path` is a JSON pointer or a dot path that {@link getAtPath} understands. */
export function isValuePath(path: string): boolean {
  return parseValuePath(path) !== undefined;
}

/** Result of looking a path up: found (with the value) or not. */
export type PathLookup = { readonly found: true; readonly value: unknown } | { readonly found: false };

/**
 * Looks `path` up in `document`, following own properties of objects and indices of arrays
 * only (never `__proto__` or other inherited names).
 */
export function getAtPath(document: unknown, path: string): PathLookup {
  const segments = parseValuePath(path);
  if (segments === undefined) return { found: false };
  let current: unknown = document;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!/^(?:0|[1-9][0-9]{0,8})$/.test(segment)) return { found: false };
      const index = Number(segment);
      if (index >= current.length) return { found: false };
      current = current[index];
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}
