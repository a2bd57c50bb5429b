/** A satisfiable byte range, `end` exclusive. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** How a `Range` header applies to a representation of `size` bytes. */
export type RangeOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'range'; readonly range: ByteRange }
  | { readonly kind: 'unsatisfiable' };

/**
 * Parses a single-range `bytes=` header per RFC 9110 section 14. Multiple ranges and syntax the
 * server does not understand are ignored (a full 200), which the RFC allows.
 */
export function parseRange(header: string | undefined, size: number): RangeOutcome {
  if (header === undefined) return { kind: 'none' };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return { kind: 'none' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'none' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', range: { start: Math.max(0, size - suffix), end: size } };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'none' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size : Math.min(size, Number(last) + 1);
  return { kind: 'range', range: { start, end } };
}

/**
 * Whether `If-Range` lets the Range apply: a strong ETag that matches exactly, or an HTTP-date equal
 * to Last-Modified. A weak ETag never matches (RFC 9110 section 13.1.5).
 */
export function ifRangeMatches(ifRange: string | undefined, etag: string, lastModified: string): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('W/')) return false;
  if (value.startsWith('"')) return value === etag;
  return value === lastModified;
}
