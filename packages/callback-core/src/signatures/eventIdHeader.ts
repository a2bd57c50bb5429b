import type { HeaderAccess, HeaderRead } from './headerAccess.js';
import { reject } from './rejection.js';

/** Event ids are opaque, but never contain whitespace, commas or control characters. */
const EVENT_ID = /^[\x21-\x2b\x2d-\x7e]{1,256}$/;

/**
 * Reads an optional event-id header (e.g. `X-GitHub-Delivery`). Such headers are usually NOT covered by
 * the signature; the id is for deduplication, not for trust.
 */
export function readEventIdHeader(headers: HeaderAccess, name: string): HeaderRead<string | undefined> {
  const read = headers.optional(name);
  if (!read.ok || read.value === undefined) return read;
  if (!EVENT_ID.test(read.value)) return reject('malformed_header', `${name} is not a valid event id`);
  return read;
}

/** True when `id` has the shape accepted for event ids. */
export function isEventId(id: string): boolean {
  return EVENT_ID.test(id);
}
