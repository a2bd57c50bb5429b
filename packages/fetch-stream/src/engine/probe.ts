import { MisplacedRangeError, ProtocolError } from '../errors.js';
import { parseContentRange, parseLength } from '../http/contentRange.js';
import type { Exchange } from '../http/request.js';
import { type ServerDigest, serverDigests } from '../http/serverDigests.js';
import { hasChanged, validatorsOf } from '../http/validators.js';
import type { ResourceValidators } from '../types.js';
import { assertIdentity, CARRY_PREFETCH_BYTES, failOnErrorStatus, first } from './responseChecks.js';
import { RestartRequest } from './restart.js';

/** What the first response of an attempt tells about the resource. */
export type ProbeResult =
  | {
      readonly kind: 'ranged';
      readonly ex: Exchange;
      readonly start: number;
      readonly end: number;
      /** Body bytes before `start` (the server rounded the range down), dropped. */
      readonly skip: number;
      readonly total: number;
      readonly validators: ResourceValidators;
      readonly digests: ServerDigest[];
    }
  /** 416 with the size already on the sink: every byte is there. */
  | { readonly kind: 'complete'; readonly total: number }
  | { readonly kind: 'empty'; readonly validators: ResourceValidators }
  | {
      readonly kind: 'stream';
      readonly ex: Exchange;
      readonly total: number | undefined;
      readonly validators: ResourceValidators;
      readonly digests: ServerDigest[];
    };

/**
 * Classifies the response to the attempt's first request, `GET` with `Range: bytes=start-(start+part-1)`
 * (or without Range when ranges are known to be ignored), which both probes and starts
 * streaming. `resumedTotal` is the size a previous run's journal recorded.
 */
export function classifyProbe(
  ex: Exchange,
  start: number,
  ranged: boolean,
  resumedTotal: number | undefined,
  resumedValidators: ResourceValidators | undefined,
): ProbeResult {
  const res = ex.res;
  const status = res.statusCode ?? 0;
  // A 416 is judged before other error statuses: at the end of a complete file it means done.
  if (status === 416) {
    ex.res.resume();
    ex.dispose();
    const cr = parseContentRange(first(res.headers['content-range']));
    if (
      cr?.kind === 'unsatisfied' &&
      resumedTotal !== undefined &&
      cr.total === resumedTotal &&
      start === cr.total
    ) {
      return { kind: 'complete', total: cr.total };
    }
    if (cr?.kind === 'unsatisfied' && cr.total === 0 && start === 0 && resumedTotal === undefined) {
      return { kind: 'empty', validators: validatorsOf(res.headers, 0) };
    }
    if (resumedTotal !== undefined) throw new RestartRequest('staleJournal');
    failOnErrorStatus(ex);
    throw new ProtocolError(
      `HTTP 416 to "Range: bytes=${start}-" with Content-Range ${String(cr?.kind)}.`,
      false,
    );
  }
  failOnErrorStatus(ex);
  if (status === 200) {
    assertIdentity(res);
    // A 200 to a request with If-Range means the journal's version is gone; a 200 to a fresh
    // range request means the server ignores ranges.
    const total = parseLength(res.headers['content-length']);
    if (ranged && resumedTotal !== undefined) {
      // Same version but a 200: the server stopped honouring ranges; otherwise it changed.
      const v = validatorsOf(res.headers, total);
      const same =
        resumedValidators !== undefined && !hasChanged(resumedValidators, v) && total === resumedTotal;
      ex.prefetch(CARRY_PREFETCH_BYTES);
      throw new RestartRequest(same ? 'rangesIgnored' : 'staleJournal', undefined, ex);
    }
    return {
      kind: 'stream',
      ex,
      total,
      validators: validatorsOf(res.headers, total),
      digests: serverDigests(res.headers, true),
    };
  }
  if (status === 206 && ranged) {
    const cr = parseContentRange(first(res.headers['content-range']));
    if (cr === undefined || cr.kind !== 'range') {
      throw new ProtocolError(`206 with an invalid Content-Range (${String(res.headers['content-range'])}).`);
    }
    // Without a declared total the file cannot be divided or resumed: use one plain stream.
    if (cr.total === undefined) throw new RestartRequest('rangesIgnored');
    const length = parseLength(res.headers['content-length']);
    if (length !== undefined && length !== cr.end - cr.start + 1) {
      throw new ProtocolError(`Content-Length ${length} does not match Content-Range ${cr.start}-${cr.end}.`);
    }
    // Judged by what it covers: bytes before the asked start are skipped, a later start is refused.
    if (cr.start > start || cr.end < start) throw new MisplacedRangeError(start, cr.start, cr.end);
    assertIdentity(res);
    return {
      kind: 'ranged',
      ex,
      start,
      end: cr.end + 1,
      skip: start - cr.start,
      total: cr.total,
      validators: validatorsOf(res.headers, cr.total),
      // A 206's Content-Digest covers only that part; only whole-representation digests count.
      digests: serverDigests(res.headers, false),
    };
  }
  throw new ProtocolError(`Unexpected HTTP ${status} to the first request.`, false);
}
