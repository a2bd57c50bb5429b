import { IncompleteBodyError, MisplacedRangeError } from '../errors.js';
import type { Exchange } from '../http/request.js';
import { ifRangeValue } from '../http/validators.js';
import { PartPlanner, type Run } from '../plan/partPlanner.js';
import { readBody } from './bodyReader.js';
import { PartTracker } from './partTracker.js';
import { acceptRanged, acceptWhole } from './responseChecks.js';
import { RestartRequest } from './restart.js';
import type { TransferState } from './transferState.js';
import { WriteQueue } from './writeQueue.js';

/**
 * An accepted response: after `skip` body bytes (sent before the byte asked for), it delivers
 * `[start, end)`.
 */
export interface OpenResponse {
  readonly ex: Exchange;
  readonly start: number;
  readonly end: number;
  readonly skip: number;
}

/**
 * A response that runs past the connection's run by at most this much is read to its end and
 * the excess dropped: the connection stays reusable, and cutting would waste about as much
 * (whatever the server already pushed into socket buffers). A longer excess closes it.
 */
const DISCARD_TAIL_BYTES = 128 * 1024;

/**
 * A server that misplaced ranges for a start may get a GET without Range instead, when the
 * bytes to drop (before the start, and after the run's end) are at most this many parts.
 */
const WHOLE_GET_MAX_DROP_PARTS = 4;

/** How the next request for a run is asked (see {@link askForm}). */
type AskForm = 'window' | 'onePart' | 'quarterPart' | 'whole';

/** Bytes a connection may have received but not yet written (overlaps network and disk). */
const WRITE_QUEUE_BYTES = 1024 * 1024;

/**
 * Socket reads are gathered into writes of at most this size: one positional write, one
 * hash hand-over and one CRC call per gather instead of per read. Not larger: on Linux 6.x a
 * write of 512 KiB or more into the page cache is served with large folios, and where those
 * are costly to find (a fragmented or ballooned VM) the copy into them took 5-10x longer. On
 * the benchmark VM `dd bs=512K` of 1 GiB took 1.0 s of system time and `bs=256K` 0.21 s;
 * fetch-stream's 1 GiB download went from 2.1-2.4 s to 1.4-1.5 s.
 */
const COALESCE_BYTES = 256 * 1024;

/**
 * Largest request, in parts, when several connections share the file: requested parts can no
 * longer be taken over by an idle connection, so windows stay small enough to share work.
 */
export const MAX_WINDOW_PARTS = 8;

/**
 * Ranged transfer into a sink that can read back: each connection owns a contiguous run of
 * parts and fetches it over one keep-alive socket in part-aligned requests whose size
 * starts at one part and doubles after each clean response (reset to one after a failure),
 * so a misbehaving server costs at most a part while a healthy one needs few requests. A free
 * connection steals the upper half of the largest run (parts not yet requested).
 */
export async function rangedTransfer(
  st: TransferState,
  missingParts: readonly number[],
  connections: number,
  probe: OpenResponse | undefined,
  runAll: (workers: Array<() => Promise<void>>) => Promise<void>,
): Promise<void> {
  if (missingParts.length === 0) {
    probe?.ex.destroy(new Error('not needed'));
    return;
  }
  const workerCount = Math.max(1, Math.min(connections, missingParts.length));
  // One connection shares with nobody: its requests keep doubling, so a large file takes a
  // handful of requests (each response end waits for its bytes to be stored).
  const maxWindow = workerCount === 1 ? Math.ceil(st.total / st.partSize) : MAX_WINDOW_PARTS;
  const planner = new PartPlanner(st.total, st.partSize, missingParts, workerCount);
  const tracker = new PartTracker(st.partSize, st.total);
  // Gather buffers outlive a single response: shared by every connection of this transfer,
  // so the pool stays as large as the most ever in use at once, and nothing becomes garbage.
  const spare: Buffer[] = [];

  const fetchRun = async (run: Run, initial: OpenResponse | undefined): Promise<void> => {
    let opened = initial;
    let window = 1;
    // Forms already tried after misplaced answers (a 206 not containing the asked start) at
    // `misplacedAt`: each one changes how that start is asked for, instead of repeating it.
    let misplacedAt = -1;
    let tried: AskForm[] = [];
    let lastAskParts = 0;
    while (run.cursor < run.end) {
      await st.ctx.withRetries(st.signal, async (progressed) => {
        let r = opened;
        opened = undefined;
        if (r === undefined) {
          if (misplacedAt !== run.cursor) tried = [];
          const form = askForm(tried, lastAskParts, run, st);
          const parts = form === 'onePart' ? 1 : window;
          const partEnd = (Math.floor(run.cursor / st.partSize) + parts) * st.partSize;
          const quarterEnd = run.cursor + Math.max(1, Math.floor(st.partSize / 4));
          const end = Math.min(
            run.end,
            form === 'whole' ? run.end : form === 'quarterPart' ? quarterEnd : partEnd,
          );
          lastAskParts = Math.ceil((end - run.cursor) / st.partSize);
          run.requestedEnd = end;
          try {
            r = await openRange(st, run.cursor, end, form);
          } catch (err) {
            if (err instanceof MisplacedRangeError) {
              misplacedAt = run.cursor;
              tried.push(form);
            }
            throw err;
          }
        } else {
          run.requestedEnd = Math.min(r.end, run.end);
        }
        try {
          await pump(st, tracker, spare, r, run, progressed);
          window = Math.min(window * 2, maxWindow);
        } catch (err) {
          window = 1;
          throw err;
        }
      });
    }
  };

  const worker = async (first: Run | undefined, initial: OpenResponse | undefined): Promise<void> => {
    let run = first;
    let opened = initial;
    while (run !== undefined) {
      const current = run;
      await st.ctx.transferring(() => fetchRun(current, opened));
      opened = undefined;
      planner.finish(current);
      run = planner.next();
    }
  };

  const firstRun = probe ? planner.take(probe.start) : undefined;
  if (probe && firstRun === undefined) probe.ex.destroy(new Error('not needed'));
  const workers: Array<() => Promise<void>> = [
    () => worker(firstRun ?? planner.next(), firstRun ? probe : undefined),
  ];
  for (let i = 1; i < workerCount; i++) workers.push(() => worker(planner.next(), undefined));
  await runAll(workers);
}

/**
 * The form of the next request for `run`, given the forms that already got a misplaced answer
 * at its cursor: a smaller range (one part, unless the failed request was already that small,
 * then a quarter of a part), then a GET without Range when the bytes it would drop are few;
 * after those the usual window again (and the retry budget decides).
 */
function askForm(tried: readonly AskForm[], lastAskParts: number, run: Run, st: TransferState): AskForm {
  if (tried.length === 0) return 'window';
  const alternatives: AskForm[] = [];
  if (lastAskParts > 1 || tried.includes('onePart')) alternatives.push('onePart');
  alternatives.push('quarterPart');
  const dropped = run.cursor + (st.total - run.end);
  if (dropped <= WHOLE_GET_MAX_DROP_PARTS * st.partSize) alternatives.push('whole');
  return alternatives.find((form) => !tried.includes(form)) ?? 'window';
}

async function openRange(
  st: TransferState,
  start: number,
  end: number,
  form: AskForm,
): Promise<OpenResponse> {
  const ifRange = ifRangeValue(st.ctx.validators);
  const headers: Record<string, string> =
    form === 'whole'
      ? {}
      : {
          range: `bytes=${start}-${end - 1}`,
          ...(ifRange !== undefined ? { 'if-range': ifRange } : {}),
        };
  const ex = await st.ctx.get(st.signal, headers);
  try {
    const usable =
      form === 'whole'
        ? acceptWhole(ex, start, st.ctx.validators, st.total)
        : acceptRanged(ex, start, st.ctx.validators, st.total);
    return { ex, start, ...usable };
  } catch (err) {
    if (!(err instanceof RestartRequest && err.carried === ex)) {
      ex.destroy(new Error('rejected'));
      ex.dispose();
    }
    throw err;
  }
}

async function pump(
  st: TransferState,
  tracker: PartTracker,
  spare: Buffer[],
  r: OpenResponse,
  run: Run,
  progressed: () => void,
): Promise<void> {
  if (r.start !== run.cursor) {
    r.ex.destroy(new Error('misaligned'));
    throw new Error(`internal: response starts at ${r.start}, run cursor is ${run.cursor}`);
  }
  const queue = new WriteQueue(WRITE_QUEUE_BYTES);
  const inFlight = new Set<Promise<void>>();
  let commits: Promise<void> = Promise.resolve();
  let commitFailure: { error: unknown } | undefined;
  // Body bytes are copied out of the connection's read buffer into a gather buffer at once
  // (the one copy on the way to the sink); a full buffer, a part boundary or the end flushes it.
  let gather: Buffer | undefined;
  let gatheredBytes = 0;
  let gatheredAt = run.cursor;
  const flush = async (): Promise<void> => {
    if (commitFailure !== undefined) throw commitFailure.error;
    if (gatheredBytes === 0 || gather === undefined) return;
    const pooled = gather;
    const data = pooled.subarray(0, gatheredBytes);

    const offset = gatheredAt;
    const take = gatheredBytes;
    gather = undefined;
    gatheredBytes = 0;
    gatheredAt = offset + take;
    // The write starts now, not when the previous one finished: a read-back sink accepts
    // overlapping writes at distinct offsets, so the disk works while the next bytes arrive.
    // Hashing and commits still follow in order, each after its own write completed.
    const written = st.sink.write(offset, data);
    const settled = written.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(settled);
    void settled.then(() => inFlight.delete(settled));
    await queue.push(take, async () => {
      await written;
      st.hasher.onWritten(offset, data);
      const parts = tracker.add(offset, data);
      // Nothing keeps the bytes now (written, hashed, CRC'd): the buffer is reused, so a long
      // download neither allocates nor leaves garbage behind.
      spare.push(pooled);
      await st.hasher.waitForCapacity();
      st.meter.add(take);
      for (const part of parts) {
        // A commit (a journal rewrite) takes milliseconds: it runs beside the transfer instead
        // of stalling this connection's reads; commits stay in order and are awaited at the end.
        commits = commits.then(async () => {
          if (commitFailure !== undefined) return;
          try {
            await st.sink.commitPart(part);
            // Only durable progress (a whole part) refreshes the retry budget: a server that
            // resets every connection after a few KiB must still exhaust it.
            progressed();
          } catch (error) {
            commitFailure = { error };
          }
        });
      }
    });
  };
  // Absolute offset of the next body byte: below the cursor while an overlap is skipped,
  // past the run's end while a short excess is read off.
  let position = r.start - r.skip;
  const onChunk = (chunk: Uint8Array): boolean | Promise<boolean> => {
    // `run.end` may have shrunk below the response's end (the run was split): stop there.
    const limit = Math.min(run.end, r.end);
    const chunkStart = position;
    position += chunk.length;
    let pos = Math.min(chunk.length, Math.max(0, run.cursor - chunkStart));
    const takeEnd = Math.max(pos, Math.min(chunk.length, limit - chunkStart));
    const wantMore = (): boolean =>
      !(run.cursor >= run.end && run.end < r.end && r.end - position > DISCARD_TAIL_BYTES);
    /** Copies what fits; true when the gather buffer must be flushed before going on. */
    const copySome = (): boolean => {
      while (pos < takeEnd) {
        gather ??= spare.pop() ?? Buffer.allocUnsafeSlow(COALESCE_BYTES);
        const n = Math.min(takeEnd - pos, COALESCE_BYTES - gatheredBytes);
        gather.set(chunk.subarray(pos, pos + n), gatheredBytes);
        gatheredBytes += n;
        pos += n;
        run.cursor += n;
        st.received += n;
        // A part boundary flushes too, so a completed part is committed without waiting for more.
        const partDone = run.cursor % st.partSize === 0;
        if (gatheredBytes === COALESCE_BYTES || partDone || run.cursor >= limit) return true;
      }
      return false;
    };
    if (!copySome()) return wantMore();
    return (async () => {
      do await flush();
      while (copySome());
      return wantMore();
    })();
  };
  let outcome: 'ended' | 'stopped';
  try {
    outcome = await readBody(r.ex, st.ctx.settings.timeouts, onChunk);
  } finally {
    // Whatever happened to the socket, every byte counted in the cursor reaches the sink
    // (or the failure surfaces) before the caller retries from that cursor.
    try {
      await flush();
    } finally {
      try {
        await queue.drain();
      } finally {
        // A job skipped after an earlier failure still had its write running: let it land
        // before the caller retries (or the sink is closed).
        await Promise.all(inFlight);
        await commits;
      }
    }
  }
  if (commitFailure !== undefined) throw commitFailure.error;
  if (outcome === 'ended' && run.cursor < Math.min(run.end, r.end)) {
    throw new IncompleteBodyError(
      `The response ended at byte ${run.cursor} before its declared end ${r.end}.`,
    );
  }
  // A body that ended at r.end < run.end was a short 206 or a window: the caller continues.
}
