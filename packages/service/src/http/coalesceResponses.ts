/**
 * Writes the responses that finish during one turn of the event loop together, at its end.
 *
 * Node reads every socket that became readable in one poll phase, one after another, and an
 * asynchronous handler's response is normally written as soon as it resolves, between two of those
 * reads. Under load each of those writes finds the client waiting in `epoll_wait` and has to wake
 * it, and on a virtual machine that wake-up (an inter-processor interrupt) costs more than a small
 * handler's own work. Held until the check phase that follows the poll phase, the responses of a
 * burst go out back to back: the first write wakes the client and the rest find it awake. The
 * number of writes is the same; a response waits at most for the other requests that had already
 * arrived in that turn, and alone it waits one `setImmediate`.
 */

/** The shape of `app.fetch` as @hono/node-server calls it. */
export type FetchCallback<Env> = (request: Request, env: Env) => unknown;

/**
 * Wraps `fetch` so that each asynchronous response is released in the check phase of the
 * event-loop turn in which it resolved. A synchronous response is returned as it is (it is
 * written at once, as before), and a rejection passes through without waiting.
 */
export function coalesceResponses<Env>(fetch: FetchCallback<Env>): FetchCallback<Env> {
  let endOfTurn: Promise<void> | undefined;
  // One immediate per turn, shared by every response that resolves before it runs.
  const atEndOfTurn = (): Promise<void> => {
    endOfTurn ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        endOfTurn = undefined;
        resolve();
      });
    });
    return endOfTurn;
  };
  return (request, env) => {
    const result = fetch(request, env);
    if (!isPromiseLike(result)) return result;
    return Promise.resolve(result).then((response) => atEndOfTurn().then(() => response));
  };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
