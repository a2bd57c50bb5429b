/** The request headers a signature verifier reads, as one plain record. */
import type { RequestHeaders } from '@downloader/callback-core';
import type { Context } from 'hono';
import { nodeIncomingOf } from './nodeIncoming.js';

/**
 * The headers of `c`'s request, names lower-cased, repeated headers joined with `", "` (the last
 * `set-cookie` wins): exactly what `Object.fromEntries(request.headers)` gives.
 *
 * On node:http the record is built from the parsed raw header list instead, which skips building a
 * web `Headers` object per request (the callback route's hottest allocation). The HTTP parser has
 * already validated the names and trimmed the values as `Headers` would, so the result is the same.
 * Elsewhere (Lambda, `app.request` in tests) it reads `request.headers`. The callback route
 * builds it once and also takes `content-type` and `content-length` from it.
 */
export function signatureHeaders(c: Context): RequestHeaders {
  const raw = nodeIncomingOf(c)?.rawHeaders;
  if (raw === undefined) return Object.fromEntries(c.req.raw.headers);
  // A plain object keeps V8's fast properties (a prototype-less one is a dictionary, slower to
  // fill and to read); own-property checks keep inherited names such as `constructor` out.
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase();
    // HTTP/2 pseudo-headers (`:path`) are not headers; `Headers` leaves them out too.
    if (name.startsWith(':')) continue;
    const value = String(raw[i + 1]);
    const earlier = Object.hasOwn(record, name) ? record[name] : undefined;
    const joined = earlier === undefined || name === 'set-cookie' ? value : `${earlier}, ${value}`;
    // `__proto__` would set the prototype by assignment; define it as an ordinary entry instead,
    // as Object.fromEntries does.
    if (name === '__proto__') {
      Object.defineProperty(record, name, {
        value: joined,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      record[name] = joined;
    }
  }
  return record;
}
