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
  readonly #values = new Map<string, string | typeof DUPLICATED>();
  readonly #maxBytes: number;

  constructor(headers: RequestHeaders, maxBytes: number = DEFAULT_MAX_HEADER_BYTES) {
    this.#maxBytes = maxBytes;
    for (const [rawName, rawValue] of Object.entries(headers)) {
      if (rawValue === undefined) continue;
      const name = rawName.toLowerCase();
      let value: string | typeof DUPLICATED;
      if (typeof rawValue === 'string') {
        value = rawValue;
      } else if (rawValue.length === 1 && typeof rawValue[0] === 'string') {
        value = rawValue[0];
      } else if (rawValue.length === 0) {
        continue;
      } else {
        value = DUPLICATED;
      }
      this.#values.set(name, this.#values.has(name) ? DUPLICATED : value);
    }
  }

  /** True when the header is present (once or more). */
  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
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
    const value = this.#values.get(name.toLowerCase());
    if (value === DUPLICATED) return reject('malformed_header', `header ${name} must be sent exactly once`);
    if (value !== undefined && value.length > this.#maxBytes) {
      return reject('malformed_header', `header ${name} is longer than ${this.#maxBytes} bytes`);
    }
    return { ok: true, value };
  }
}
