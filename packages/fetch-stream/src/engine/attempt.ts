import { MisplacedRangeError, SizeLimitError, SizeMismatchError } from '../errors.js';
import type { Algorithm } from '../hash/checksums.js';
import { OrderedHasher } from '../hash/orderedSha256.js';
import type { Exchange } from '../http/request.js';
import { ifRangeValue } from '../http/validators.js';
import type { ProgressMeter } from '../progress/progressMeter.js';
import type { CompletedPart, DownloadResult, Sink, SinkResumeState, VerifiedChecksum } from '../types.js';
import type { DownloadContext } from './context.js';
import { orderedPartsTransfer } from './orderedPartsTransfer.js';
import { classifyProbe, type ProbeResult } from './probe.js';
import { rangedTransfer } from './rangedTransfer.js';
import { RestartRequest } from './restart.js';
import { streamTransfer } from './streamTransfer.js';
import type { TransferState } from './transferState.js';
import { algorithmsFor, verifyDigests } from './verify.js';

const PROBE_MAX_BYTES = 1024 * 1024;
/** From this size on, sha256 runs on a worker thread (its start-up cost is then negligible). */
const OFFLOAD_MIN_BYTES = 64 * 1024 * 1024;

/** Outcome of one successful attempt, before the sink is finalized. */
export interface AttemptOutcome {
  readonly bytes: number;
  readonly sha256: string;
  readonly verified: VerifiedChecksum[];
  readonly resumedBytes: number;
  readonly ranged: boolean;
}

export interface AttemptInput {
  readonly ctx: DownloadContext;
  readonly sink: Sink;
  readonly meter: ProgressMeter;
  readonly signal: AbortSignal;
  /** The download's signal (user abort, deadline), which outlives this attempt. */
  readonly outerSignal: AbortSignal;
  /** Abort this attempt's other connections (first failure wins). */
  readonly abortAttempt: (reason: unknown) => void;
  readonly prior: SinkResumeState | undefined;
  readonly forceStream: boolean;
  /** A 200 from the previous attempt to use as this attempt's first response. */
  readonly carried: Exchange | undefined;
  /** The server answered ranges before (the carried 200 is a new version, not ignored ranges). */
  readonly carriedFromRangedServer: boolean;
  /** Receives the attempt's byte tally so that a thrown-away attempt counts as refetched. */
  readonly onReceived: (read: () => number) => void;
}

/** One pass from probe to verified bytes. Throws `RestartRequest` to start over from 0. */
export async function runAttempt(a: AttemptInput): Promise<AttemptOutcome> {
  const { ctx, sink, meter, signal, prior } = a;
  const s = ctx.settings;
  const ranged = !a.forceStream;
  const firstNeeded = ranged && prior ? firstMissingOffset(prior) : 0;

  const carried = a.carried;
  if (carried) carried.rebind(signal);
  // Misplaced answers (a 206 not containing the asked start) to the probe so far: each one
  // changes the probe's size (a quarter, then a sixteenth) instead of repeating it.
  let probeMisplaced = 0;
  const probe: ProbeResult = carried
    ? carriedProbe(carried, a.carriedFromRangedServer)
    : await ctx.withRetries(signal, async () => {
        const headers: Record<string, string> = {};
        if (ranged) {
          // At most one part: enough to learn the size and validators and to start streaming,
          // while a rejected answer (wrong range, changed version) wastes little. A read-back
          // sink continues the first run from wherever the probe ended, so 1 MiB is plenty; an
          // ordered-parts sink uses the probe for part 0 only, so it asks for just that part.
          const partGuess =
            prior?.partSize ?? sink.capabilities.partSizeFor?.(undefined, s.partSize) ?? s.partSize;
          const probeSize = sink.capabilities.readBack ? Math.min(partGuess, PROBE_MAX_BYTES) : partGuess;
          const asked = Math.max(1, Math.floor(probeSize / 4 ** Math.min(probeMisplaced, 2)));
          headers.range = `bytes=${firstNeeded}-${firstNeeded + asked - 1}`;
          const ifRange = prior ? ifRangeValue(prior.validators) : undefined;
          if (ifRange !== undefined) headers['if-range'] = ifRange;
        }
        const ex = await ctx.get(signal, headers);
        try {
          return classifyProbe(
            ex,
            firstNeeded,
            ranged,
            ranged ? prior?.total : undefined,
            ranged ? prior?.validators : undefined,
          );
        } catch (err) {
          if (err instanceof MisplacedRangeError) probeMisplaced++;
          if (!(err instanceof RestartRequest && err.carried === ex)) {
            ex.destroy(new Error('rejected'));
            ex.dispose();
          }
          throw err;
        }
      });

  const runAll = async (workers: Array<() => Promise<void>>): Promise<void> => {
    const errors: unknown[] = [];
    await Promise.all(
      workers.map((w) =>
        w().catch((err: unknown) => {
          errors.push(err);
          // A carried 200 must survive the abort of this attempt's other connections.
          if (err instanceof RestartRequest) err.carried?.rebind(a.outerSignal);
          a.abortAttempt(err);
        }),
      ),
    );
    if (errors.length === 0) return;
    const restart = errors.find((e) => e instanceof RestartRequest);
    for (const e of errors) {
      if (e instanceof RestartRequest && e !== restart) e.carried?.destroy(new Error('superseded'));
    }
    throw restart ?? errors[0];
  };

  assertExpectedSize(ctx, probe);

  if (probe.kind === 'stream' || probe.kind === 'empty') {
    const total = probe.kind === 'stream' ? probe.total : 0;
    const digests = probe.kind === 'stream' ? probe.digests : [];
    ctx.validators = probe.validators;
    ctx.total = total;
    ctx.ranged = false;
    const partSize = sink.capabilities.partSizeFor?.(total, s.partSize) ?? s.partSize;
    await sink.begin(
      { url: ctx.url.href, validators: probe.validators, total, partSize, ranged: false },
      false,
    );
    const hasher = new OrderedHasher(
      algorithmsFor(s.checksum, s.verifyServerDigests ? digests : []),
      undefined,
    );
    meter.setTotal(total);
    meter.reset(0);
    meter.start();
    s.onStart?.({ total, ranged: false, resumedBytes: 0 });
    const st = { ctx, sink, hasher, meter, signal, partSize, received: 0 };
    a.onReceived(() => st.received);
    const bytes = probe.kind === 'stream' ? await streamTransfer(st, probe.ex, total) : 0;
    const actual = await hasher.finish(bytes);
    const verified = verifyDigests(actual, s.checksum, s.verifyServerDigests ? digests : []);
    return { bytes, sha256: actual.get('sha256') ?? '', verified, resumedBytes: 0, ranged: false };
  }

  // Ranged (or complete on the sink already).
  const total = probe.total;
  const validators = probe.kind === 'ranged' ? probe.validators : (prior?.validators ?? {});
  const keep =
    prior !== undefined && prior.total === total && (probe.kind === 'complete' || sameVersion(prior, probe));
  if (prior !== undefined && !keep) {
    if (probe.kind === 'ranged') probe.ex.destroy(new Error('stale journal'));
    throw new RestartRequest('staleJournal');
  }
  const partSize =
    keep && prior ? prior.partSize : (sink.capabilities.partSizeFor?.(total, s.partSize) ?? s.partSize);
  ctx.validators = validators;
  ctx.total = total;
  ctx.ranged = true;
  const digests = probe.kind === 'ranged' && s.verifyServerDigests ? probe.digests : [];
  await sink.begin({ url: ctx.url.href, validators, total, partSize, ranged: true }, keep);

  const completed = new Map<number, CompletedPart>();
  if (keep && prior) for (const p of prior.completedParts) completed.set(p.index, p);
  let resumedBytes = 0;
  for (const p of completed.values()) resumedBytes += p.length;
  const readBack = sink.capabilities.readBack && sink.read !== undefined;
  const hasher = new OrderedHasher(
    algorithmsFor(s.checksum, digests),
    readBack ? sink.read?.bind(sink) : undefined,
    total >= OFFLOAD_MIN_BYTES,
  );
  if (readBack) for (const p of completed.values()) hasher.markStored(p.offset, p.length);
  meter.setTotal(total);
  meter.reset(resumedBytes);
  meter.start();
  s.onStart?.({ total, ranged: true, resumedBytes });

  const partCount = Math.ceil(total / partSize);
  const missing: number[] = [];
  for (let i = 0; i < partCount; i++) if (!completed.has(i)) missing.push(i);
  // A carried 200 streams the whole file on one connection; a cut in it resumes with ranges.
  const wholeBody = carried !== undefined && probe.kind === 'ranged' && probe.end === total && partCount > 1;
  const connections = partCount < 2 || wholeBody ? 1 : Math.min(s.connections, partCount);
  const st: TransferState = { ctx, sink, hasher, meter, signal, total, partSize, received: 0 };
  a.onReceived(() => st.received);
  const opened =
    probe.kind === 'ranged'
      ? { ex: probe.ex, start: probe.start, end: probe.end, skip: probe.skip }
      : undefined;

  let actual: Map<Algorithm, string>;
  try {
    if (readBack) {
      await rangedTransfer(st, missing, connections, opened, runAll);
    } else {
      const usable = opened?.start === 0 ? opened : undefined;
      if (opened && !usable) opened.ex.destroy(new Error('not needed'));
      const slots = Math.max(1, Math.min(connections, sink.capabilities.maxBufferedParts ?? connections));
      await orderedPartsTransfer(st, completed, slots, usable, runAll);
    }
    actual = await hasher.finish(total);
  } catch (err) {
    await hasher.dispose();
    throw err;
  }
  const verified = verifyDigests(actual, s.checksum, digests);
  return { bytes: total, sha256: actual.get('sha256') ?? '', verified, resumedBytes, ranged: true };
}

/**
 * Fails before anything is allocated or written when the server declares a size over
 * `maxBytes` or other than the caller expects (the response is dropped). Without a declared
 * size, `streamTransfer` counts.
 */
function assertExpectedSize(ctx: DownloadContext, probe: ProbeResult): void {
  const { expectedSize: expected, maxBytes } = ctx.settings;
  const declared = probe.kind === 'empty' ? 0 : probe.total;
  if (declared === undefined) return;
  const drop = (): void => {
    if (probe.kind === 'ranged' || probe.kind === 'stream') probe.ex.destroy(new Error('unexpected size'));
  };
  // A caller that knows the size hears that it differs; otherwise the cap is the judge.
  if (expected !== undefined && declared !== expected) {
    drop();
    throw new SizeMismatchError(expected, declared, ctx.url.href);
  }
  if (maxBytes !== undefined && declared > maxBytes) {
    drop();
    throw new SizeLimitError(maxBytes, declared, ctx.url.href);
  }
}

/**
 * The first response of an attempt that inherited a 200. From a server that does ranges (the
 * 200 answered an If-Range for an older version) with a known length, it is treated as a
 * ranged response covering the whole file, so a cut in it resumes instead of starting over.
 */
function carriedProbe(ex: Exchange, fromRangedServer: boolean): ProbeResult {
  const plain = classifyProbe(ex, 0, false, undefined, undefined);
  if (!fromRangedServer || plain.kind !== 'stream' || plain.total === undefined || plain.total === 0)
    return plain;
  return {
    kind: 'ranged',
    ex,
    start: 0,
    end: plain.total,
    skip: 0,
    total: plain.total,
    validators: plain.validators,
    digests: plain.digests,
  };
}

function sameVersion(prior: SinkResumeState, probe: ProbeResult): boolean {
  if (probe.kind !== 'ranged') return false;
  const a = prior.validators;
  const b = probe.validators;
  // Resume only onto a version we can prove is the same one: a matching strong ETag,
  // or (no ETag on either side) a matching Last-Modified.
  if (a.etag !== undefined || b.etag !== undefined) return a.etag === b.etag && !a.etag?.startsWith('W/');
  return a.lastModified !== undefined && a.lastModified === b.lastModified;
}

/** Offset of the first part the sink does not have (the total when it has them all). */
export function firstMissingOffset(prior: SinkResumeState): number {
  const have = new Set(prior.completedParts.map((p) => p.index));
  const parts = Math.ceil(prior.total / prior.partSize);
  for (let i = 0; i < parts; i++) if (!have.has(i)) return i * prior.partSize;
  return prior.total;
}

/** Result fields that come from the attempt. */
export type AttemptResultFields = Pick<
  DownloadResult,
  'bytes' | 'sha256' | 'verified' | 'resumedBytes' | 'ranged'
>;
