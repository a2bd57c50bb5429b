import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** How to write one response body. Offsets are relative to the first byte of this body. */
export interface BodyPlan {
  /** Stop after this many bytes and return `'stopped'` (the caller then ends the connection its way). */
  readonly stopAfter?: number;
  /** Pause once after this many bytes... */
  readonly stallAt?: number;
  /** ...for this long. */
  readonly stallMs?: number;
  /** Pace writes to at most this many bytes per second. */
  readonly bytesPerSecond?: number;
  /** Called after every write with the byte count written. */
  readonly onBytes: (count: number) => void;
  /** Aborted when the client goes away or the origin closes. */
  readonly signal: AbortSignal;
}

/** How a body write ended. */
export type BodyOutcome = 'done' | 'stopped' | 'gone';

function waitDrain(res: ServerResponse, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      signal.removeEventListener('abort', onClose);
      resolve(ok);
    };
    const onDrain = () => finish(true);
    const onClose = () => finish(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
    signal.addEventListener('abort', onClose);
  });
}

/** Resolves once `chunk` reached the kernel, or the client or origin went away meanwhile. */
function flushed(res: ServerResponse, chunk: Buffer, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    res.write(chunk, done);
  });
}

/**
 * Writes `chunks` to `res` with backpressure, applying the plan's stop, stall and pacing. Does not
 * end the response: the caller ends it on `'done'` and breaks the connection on `'stopped'`.
 */
export async function writeBody(
  res: ServerResponse,
  chunks: Iterable<Buffer> | AsyncIterable<Buffer>,
  plan: BodyPlan,
): Promise<BodyOutcome> {
  const { signal } = plan;
  if (plan.stopAfter === 0) {
    // Headers first, so the client sees a response whose body then breaks, not a request that failed.
    res.flushHeaders();
    await new Promise<void>((resolve) => res.socket?.write(Buffer.alloc(0), () => resolve()) ?? resolve());
    return 'stopped';
  }
  let written = 0;
  let stalled = false;
  const started = Date.now();
  for await (const whole of chunks) {
    let chunk = whole;
    while (chunk.length > 0) {
      if (signal.aborted || res.destroyed) return 'gone';
      if (plan.stopAfter !== undefined && written >= plan.stopAfter) return 'stopped';
      if (plan.stallAt !== undefined && !stalled && written >= plan.stallAt) {
        stalled = true;
        // A stall at byte 0 is a silent body, not missing headers: send the headers first.
        if (written === 0) res.flushHeaders();
        if (!(await pause(plan.stallMs ?? 0, signal))) return 'gone';
      }
      // Cut the chunk at the next point where the plan acts, so it acts at the exact byte.
      let take = chunk.length;
      if (plan.stopAfter !== undefined) take = Math.min(take, plan.stopAfter - written);
      if (plan.stallAt !== undefined && !stalled && plan.stallAt > written) {
        take = Math.min(take, plan.stallAt - written);
      }
      if (plan.bytesPerSecond !== undefined)
        take = Math.min(take, Math.max(1024, Math.floor(plan.bytesPerSecond / 20)));
      const piece = chunk.subarray(0, take);
      chunk = chunk.subarray(take);
      const lastBeforeStop = plan.stopAfter !== undefined && written + piece.length >= plan.stopAfter;
      if (lastBeforeStop) {
        // Wait until the bytes reached the kernel, so the client gets exactly these bytes first.
        await flushed(res, piece, signal);
      } else if (!res.write(piece) && !(await waitDrain(res, signal))) {
        written += piece.length;
        plan.onBytes(piece.length);
        return 'gone';
      }
      written += piece.length;
      plan.onBytes(piece.length);
      if (plan.stopAfter !== undefined && written >= plan.stopAfter) return 'stopped';
      if (plan.bytesPerSecond !== undefined) {
        const due = started + (written / plan.bytesPerSecond) * 1000;
        const wait = due - Date.now();
        if (wait > 0 && !(await pause(wait, signal))) return 'gone';
      }
    }
  }
  if (plan.stopAfter !== undefined && written >= plan.stopAfter) return 'stopped';
  return 'done';
}

async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
