import { FetchStreamError, IncompleteBodyError, TimeoutError } from '../errors.js';
import type { Exchange } from '../http/request.js';

/**
 * Reads a response body chunk by chunk, awaiting `onChunk` before reading more (so memory
 * stays bounded by the socket's buffers). `onChunk` returns false to stop early (the socket
 * is then destroyed, not reused). An idle timer aborts a stalled body. When the body ends
 * by itself it must be complete (terminating chunk seen / all Content-Length bytes).
 */
export async function readBody(
  ex: Exchange,
  idleMs: number,
  onChunk: (chunk: Buffer) => Promise<boolean>,
): Promise<'ended' | 'stopped'> {
  const timer =
    idleMs > 0 ? setTimeout(() => ex.destroy(new TimeoutError('idle', idleMs)), idleMs) : undefined;
  let stopped = false;
  let ownError: unknown;
  try {
    const early = ex.takePrefetched();
    for (const chunk of early.chunks) {
      let more: boolean;
      try {
        more = await onChunk(chunk);
      } catch (err) {
        ownError = err;
        throw err;
      }
      if (!more) {
        stopped = true;
        break;
      }
    }
    if (!stopped && early.error !== undefined) throw early.error;
    if (!stopped) {
      for await (const chunk of ex.res) {
        timer?.refresh();
        let more: boolean;
        try {
          more = await onChunk(chunk as Buffer);
        } catch (err) {
          ownError = err;
          throw err;
        }
        if (!more) {
          stopped = true;
          break;
        }
        timer?.refresh();
      }
    }
  } catch (err) {
    // Errors of the consumer (sink, checks) pass unchanged; only socket errors become typed here.
    if (err === ownError) {
      ex.req.destroy();
      throw err;
    }
    if (err instanceof FetchStreamError) throw err;
    // The socket closed or reset mid-body: a premature end, retried from the current offset.
    const code = (err as NodeJS.ErrnoException)?.code ?? (err as Error)?.message;
    throw new IncompleteBodyError(
      `The body from ${ex.url.host} ended prematurely (${String(code)}); resuming.`,
      err,
    );
  } finally {
    if (timer) clearTimeout(timer);
    ex.dispose();
  }
  if (stopped) {
    // The rest of this body is not wanted: drop the socket instead of draining it.
    ex.req.destroy();
    return 'stopped';
  }
  if (!ex.res.complete) {
    throw new IncompleteBodyError(
      `The connection to ${ex.url.host} closed before the body was complete; resuming.`,
    );
  }
  return 'ended';
}
