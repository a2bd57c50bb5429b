import { FetchStreamError, IncompleteBodyError, TimeoutError } from '../errors.js';
import type { Exchange } from '../http/request.js';

/**
 * Consumes one piece of a body. `chunk` is a view into the connection's read buffer: it is
 * valid until the call returns, or until the returned promise settles (nothing more is read
 * meanwhile). Returns false to stop early.
 */
export type ChunkHandler = (chunk: Uint8Array) => boolean | Promise<boolean>;

/** The body timeouts of `Settings.timeouts` (see `TimeoutOptions`). */
export interface BodyTimeouts {
  readonly idle: number;
  readonly lowSpeedBytesPerSecond?: number;
  readonly lowSpeedWindow?: number;
}

interface SpeedWatch {
  received(bytes: number): void;
  /** While our own handler holds the body (backpressure), slowness is ours, not the server's. */
  busy(on: boolean): void;
  stop(): void;
}

/**
 * Cuts a body whose server sends less than `lowSpeedBytesPerSecond` on average over each
 * `lowSpeedWindow`: a byte every few seconds keeps the idle timer quiet and a download slot
 * held forever.
 */
function lowSpeedWatch(ex: Exchange, t: BodyTimeouts): SpeedWatch | undefined {
  const rate = t.lowSpeedBytesPerSecond ?? 0;
  const windowMs = t.lowSpeedWindow ?? 30_000;
  if (rate <= 0) return undefined;
  let bytes = 0;
  // Time our own handler held the body in this window (a slow disk is not a slow server).
  let heldMs = 0;
  let heldSince: number | undefined;
  const interval = setInterval(() => {
    const now = Date.now();
    if (heldSince !== undefined) {
      heldMs += now - heldSince;
      heldSince = now;
    }
    const serverMs = windowMs - Math.min(heldMs, windowMs);
    if (serverMs >= windowMs / 2 && bytes < (rate * serverMs) / 1000) {
      ex.destroy(new TimeoutError('lowSpeed', windowMs));
    }
    bytes = 0;
    heldMs = 0;
  }, windowMs);
  return {
    received: (n) => {
      bytes += n;
    },
    busy: (on) => {
      const now = Date.now();
      if (on) heldSince ??= now;
      else if (heldSince !== undefined) {
        heldMs += now - heldSince;
        heldSince = undefined;
      }
    },
    stop: () => clearInterval(interval),
  };
}

/**
 * Reads a response body chunk by chunk. A handler that returns a promise holds the
 * connection still until it settles (backpressure), so memory stays bounded. A false from
 * the handler stops early (the connection is then closed, not reused). An idle timer aborts
 * a stalled body. When the body ends by itself it must be complete (terminating chunk seen,
 * all Content-Length bytes).
 */
export async function readBody(
  ex: Exchange,
  timeouts: number | BodyTimeouts,
  onChunk: ChunkHandler,
): Promise<'ended' | 'stopped'> {
  const t: BodyTimeouts = typeof timeouts === 'number' ? { idle: timeouts } : timeouts;
  const idleMs = t.idle;
  const timer =
    idleMs > 0 ? setTimeout(() => ex.destroy(new TimeoutError('idle', idleMs)), idleMs) : undefined;
  const speed = lowSpeedWatch(ex, t);
  let stopped = false;
  let ownError: { error: unknown } | undefined;
  const stop = (): void => {
    stopped = true;
    ex.detach();
  };
  const handle = (chunk: Uint8Array): undefined | Promise<void> => {
    timer?.refresh();
    speed?.received(chunk.length);
    let more: boolean | Promise<boolean>;
    try {
      more = onChunk(chunk);
    } catch (error) {
      ownError = { error };
      throw error;
    }
    if (more === true) return undefined;
    if (more === false) {
      stop();
      return undefined;
    }
    speed?.busy(true);
    return more.then(
      (again) => {
        speed?.busy(false);
        timer?.refresh();
        if (!again) stop();
      },
      (error: unknown) => {
        speed?.busy(false);
        ownError = { error };
        throw error;
      },
    );
  };
  try {
    const early = ex.takePrefetched();
    for (const chunk of early.chunks) {
      await handle(chunk);
      if (stopped) break;
    }
    if (!stopped && early.error !== undefined) throw early.error;
    if (!stopped) await ex.read(handle);
  } catch (err) {
    // Errors of the consumer (sink, checks) pass unchanged; only socket errors become typed here.
    if (ownError !== undefined && err === ownError.error) {
      ex.destroy(new Error('consumer failed'));
      throw err;
    }
    if (err instanceof FetchStreamError) throw err;
    // The socket closed or reset mid-body: a premature end, retried from the current offset.
    const code = (err as NodeJS.ErrnoException)?.code ?? (err as Error)?.message;
    throw new IncompleteBodyError(`The body from ${ex.url.host} ended prematurely (${String(code)}).`, err);
  } finally {
    if (timer) clearTimeout(timer);
    speed?.stop();
    ex.dispose();
  }
  if (stopped) {
    // The rest of this body is not wanted: drop the connection instead of draining it.
    ex.destroy(new Error('body not wanted'));
    return 'stopped';
  }
  if (!ex.res.complete) {
    throw new IncompleteBodyError(`The connection to ${ex.url.host} closed before the body was complete.`);
  }
  return 'ended';
}
