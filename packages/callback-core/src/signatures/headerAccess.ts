import { type Rejection, reject } from './rejection.js';
import type { RequestHeaders } from './types.js';

/** Default cap on one header value: far above any real signature header, far below a memory problem. */
export const DEFAULT_MAX_HEADER_BYTES = 4096;

/** A header read: its value (or `undefined` when optional and absent), or why it cannot be used. */
export type HeaderRead<T> = { readonly ok: true; readonly value: T } | Rejection;

/** Marks a header name that occurs more than once (two spellings of one name, or an array of values). */
const DUPLICATED = Symbol('duplicated');

/**
 * Case-insensitive, duplicate-aware access to request headers. A header the scheme needs exactly once
 * is refused when it is sent twice: which copy a proxy or framework keeps is not something a signature
 * check may depend on.
 */
export class HeaderAccess {
  /** The record itself, when every name in it is already lower-case (what Node and fetch give). */
  readonly #lowerCased: RequestHeaders | undefined;
  /** Otherwise the values by lower-cased name, two spellings of one name marked as duplicated. */
  readonly #folded: Map<string, string | typeof DUPLICATED> | undefined;
  readonly #maxBytes: number;

  constructor(headers: RequestHeaders, maxBytes: number = DEFAULT_MAX_HEADER_BYTES) {
    this.#maxBytes = maxBytes;
    // Usual case: no name needs folding, so a lookup reads the record directly and nothing is
    // copied per request.
    const names = Object.keys(headers);
    if (names.every((name) => name.toLowerCase() === name)) {
      this.#lowerCased = headers;
      return;
    }
    const folded = new Map<string, string | typeof DUPLICATED>();
    for (const rawName of names) {
      const value = singleValue(headers[rawName]);
      if (value === undefined) continue;
      const name = rawName.toLowerCase();
      folded.set(name, folded.has(name) ? DUPLICATED : value);
    }
    this.#folded = folded;
  }

  /** True when the header is present (once or more). */
  has(name: string): boolean {
    return this.#value(name.toLowerCase()) !== undefined;
  }

  /** Reads a header that must be present exactly once, within the length cap. */
  required(name: string): HeaderRead<string> {
    const read = this.optional(name);
    if (!read.ok) return read;
    if (read.value === undefined) return reject('missing_header', `missing header ${name}`);
    return { ok: true, value: read.value };
  }

  /** Reads a header that may be absent, but when present must occur once, within the length cap. */
  optional(name: string): HeaderRead<string | undefined> {
    const value = this.#value(name.toLowerCase());
    if (value === DUPLICATED) return reject('malformed_header', `header ${name} must be sent exactly once`);
    if (value !== undefined && value.length > this.#maxBytes) {
      return reject('malformed_header', `header ${name} is longer than ${this.#maxBytes} bytes`);
    }
    return { ok: true, value };
  }

  /** The value under a lower-case name; `undefined` when absent. */
  #value(name: string): string | typeof DUPLICATED | undefined {
    if (this.#folded !== undefined) return this.#folded.get(name);
    const headers = this.#lowerCased;
    return headers !== undefined && Object.hasOwn(headers, name) ? singleValue(headers[name]) : undefined;
  }
}

/**
 * One header's value: a string as is, a one-element array as its element, an empty array or
 * `undefined` as absent, anything longer as duplicated.
 */
function singleValue(
  rawValue: string | readonly string[] | undefined,
): string | typeof DUPLICATED | undefined {
  if (rawValue === undefined || typeof rawValue === 'string') return rawValue;
  if (rawValue.length === 1 && typeof rawValue[0] === 'string') return rawValue[0];
  return rawValue.length === 0 ? undefined : DUPLICATED;
}
