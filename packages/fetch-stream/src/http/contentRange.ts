/** A parsed `Content-Range` header (RFC 9110 §14.4), byte ranges only. */
export type ContentRange =
  | {
      readonly kind: 'range';
      readonly start: number;
      readonly end: number;
      readonly total: number | undefined;
    }
  | { readonly kind: 'unsatisfied'; readonly total: number };

const RANGE = /^bytes[ \t]+(\d{1,16})-(\d{1,16})\/(\d{1,16}|\*)$/i;
const UNSATISFIED = /^bytes[ \t]+\*\/(\d{1,16})$/i;

/**
 * Parses `bytes a-b/n`, `bytes a-b/*` and `bytes * /n` (416 form). Returns undefined for
 * anything malformed or inconsistent (b < a, b >= n), which callers treat as a protocol error.
 */
export function parseContentRange(value: string | undefined): ContentRange | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const m = RANGE.exec(text);
  if (m) {
    const start = safeInt(m[1]);
    const end = safeInt(m[2]);
    const total = m[3] === '*' ? undefined : safeInt(m[3]);
    if (start === undefined || end === undefined || end < start) return undefined;
    if (m[3] !== '*' && (total === undefined || end >= total)) return undefined;
    return { kind: 'range', start, end, total };
  }
  const u = UNSATISFIED.exec(text);
  if (u) {
    const total = safeInt(u[1]);
    return total === undefined ? undefined : { kind: 'unsatisfied', total };
  }
  return undefined;
}

/** Parses a non-negative decimal header value such as Content-Length. */
export function parseLength(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,16}$/.test(value.trim())) return undefined;
  return safeInt(value.trim());
}

function safeInt(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
