import type { IncomingHttpHeaders } from 'node:http';
import { EncodedResponseError, HttpStatusError, MisplacedRangeError, ProtocolError } from '../errors.js';
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

/** How much of a response is usable: skip `skip` body bytes, then bytes up to `end` (exclusive). */
export interface UsableRange {
  readonly skip: number;
  readonly end: number;
}

/**
 * Judges a response to a range request from `start` by what it says it carries: a 206 of
 * the same version whose Content-Range contains `start` is used, its bytes before `start`
 * skipped (a server that rounds ranges down to blocks) and those past the asked end used as far
 * as needed (one that rounds up: they are the same version's bytes); a short 206 is used and the caller continues. A 206 that does not contain
 * `start` throws {@link MisplacedRangeError}. A 200 or a changed version throws a restart.
 */
export function acceptRanged(
  ex: Exchange,
  start: number,
  known: ResourceValidators,
  total: number,
): UsableRange {
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
  const length = parseLength(res.headers['content-length']);
  if (length !== undefined && length !== cr.end - cr.start + 1) {
    throw new ProtocolError(`Content-Length ${length} does not match Content-Range ${cr.start}-${cr.end}.`);
  }
  if (cr.start > start || cr.end < start) throw new MisplacedRangeError(start, cr.start, cr.end);
  assertIdentity(res);
  return { skip: start - cr.start, end: cr.end + 1 };
}

/**
 * Judges a response to a GET without Range, sent on purpose to get past a server that keeps
 * misplacing ranges: a 200 of the same version and size covers every byte, so the bytes before
 * `start` are skipped.
 */
export function acceptWhole(
  ex: Exchange,
  start: number,
  known: ResourceValidators,
  total: number,
): UsableRange {
  const res = ex.res;
  failOnErrorStatus(ex);
  const status = res.statusCode ?? 0;
  if (status !== 200) throw new ProtocolError(`Unexpected HTTP ${status} to a request without Range.`);
  const length = parseLength(res.headers['content-length']);
  if (length !== total || hasChanged(known, validatorsOf(res.headers, length))) {
    ex.prefetch(CARRY_PREFETCH_BYTES);
    throw new RestartRequest('changed', undefined, ex);
  }
  assertIdentity(res);
  return { skip: start, end: total };
}

export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
