import type { IncomingHttpHeaders } from 'node:http';
import { EncodedResponseError, HttpStatusError, ProtocolError } from '../errors.js';
import { parseContentRange, parseLength } from '../http/contentRange.js';
import type { Exchange } from '../http/request.js';
import { parseRetryAfter } from '../http/retryAfter.js';
import { hasChanged, validatorsOf } from '../http/validators.js';
import type { ResourceValidators } from '../types.js';
import { RestartRequest } from './restart.js';

/** Bytes of a carried 200 read ahead while the next attempt starts. */
export const CARRY_PREFETCH_BYTES = 2 * 1024 * 1024;

/** Refuses any body that is not identity-encoded: we never decompress. */
export function assertIdentity(res: { readonly headers: IncomingHttpHeaders }): void {
  const enc = res.headers['content-encoding']?.trim().toLowerCase();
  if (enc !== undefined && enc !== '' && enc !== 'identity') throw new EncodedResponseError(enc);
}

/** Turns an error status into a typed error (after discarding the body). */
export function failOnErrorStatus(ex: Exchange): void {
  const status = ex.res.statusCode ?? 0;
  if (status >= 400) {
    ex.res.resume();
    ex.dispose();
    throw new HttpStatusError(status, ex.url.href, parseRetryAfter(first(ex.res.headers['retry-after'])));
  }
}

/**
 * Accepts a response to `Range: bytes=start-endInclusive` only if it is exactly what was
 * asked for, of the same version. Returns the exclusive end of the bytes it will deliver
 * (less than requested for a short 206). A 200 or a changed version throws a restart.
 */
export function acceptRanged(
  ex: Exchange,
  start: number,
  endInclusive: number,
  known: ResourceValidators,
  total: number,
): number {
  const res = ex.res;
  const status = res.statusCode ?? 0;
  // Mid-transfer, a 416 to a range inside the known size means the resource shrank: a new
  // version, so start over (judged before other error statuses, which are failures).
  if (status === 416) {
    res.resume();
    ex.dispose();
    throw new RestartRequest('changed');
  }
  failOnErrorStatus(ex);
  if (status === 200) {
    // A 200 is the whole representation from byte 0 (a new version after If-Range, or a
    // server that ignores ranges): never appended, but handed over as the next attempt's stream.
    const v = validatorsOf(res.headers, parseLength(res.headers['content-length']));
    ex.prefetch(CARRY_PREFETCH_BYTES);
    throw new RestartRequest(hasChanged(known, v) ? 'changed' : 'rangesIgnored', undefined, ex);
  }
  if (status !== 206) throw new ProtocolError(`Unexpected HTTP ${status} to a range request.`, false);
  const cr = parseContentRange(first(res.headers['content-range']));
  if (cr === undefined || cr.kind !== 'range') {
    throw new ProtocolError(`206 with an invalid Content-Range (${String(res.headers['content-range'])}).`);
  }
  if (cr.total !== undefined && cr.total !== total) throw new RestartRequest('changed');
  if (hasChanged(known, validatorsOf(res.headers, cr.total))) throw new RestartRequest('changed');
  if (cr.start !== start) {
    throw new ProtocolError(`206 starts at byte ${cr.start} but byte ${start} was requested; not appended.`);
  }
  if (cr.end > endInclusive) {
    throw new ProtocolError(`206 ends at byte ${cr.end}, beyond the requested ${endInclusive}.`);
  }
  const length = parseLength(res.headers['content-length']);
  if (length !== undefined && length !== cr.end - cr.start + 1) {
    throw new ProtocolError(`Content-Length ${length} does not match Content-Range ${cr.start}-${cr.end}.`);
  }
  assertIdentity(res);
  return cr.end + 1;
}

export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
