/**
 * A window that slides over a stream of work: at most `concurrency` items run at once, and the
 * next item starts as soon as any running one ends, wherever it sits in the stream.
 */

/** Options of {@link runSlidingWindow}. */
export interface SlidingWindowOptions<T> {
  /** Items, pulled one at a time as room frees up (e.g. pages read from the store). */
  readonly items: AsyncIterable<T>;
  readonly concurrency: number;
  /**
   * Works on one item. `signal` is the item's own: it aborts when `signal` of the window does.
   * A rejection stops the window from starting more items and is rethrown once the running
   * ones have ended.
   */
  readonly run: (item: T, signal: AbortSignal) => Promise<void>;
  /** Stops starting items and aborts the running ones. */
  readonly signal: AbortSignal;
}

/**
 * Runs every item through `run`, `concurrency` at a time. Each item gets its own AbortSignal,
 * and the window listens to the caller's signal once: the caller's signal never carries one
 * listener per item in flight (Node warns past ten). A counter and one wake-up callback pace it,
 * not `Promise.race` over the running set, which would leave a reaction on a long-running item
 * for every item that starts meanwhile.
 */
export async function runSlidingWindow<T>(options: SlidingWindowOptions<T>): Promise<void> {
  const { concurrency, run, signal } = options;
  const running = new Set<AbortController>();
  let failure: { readonly error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const onAbort = () => {
    for (const controller of running) controller.abort(signal.reason);
    wake?.();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const roomOrStop = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });
  try {
    for await (const item of options.items) {
      if (signal.aborted || failure !== undefined) break;
      const controller = new AbortController();
      running.add(controller);
      run(item, controller.signal)
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          running.delete(controller);
          const resume = wake;
          wake = undefined;
          resume?.();
        });
      while (running.size >= concurrency && !signal.aborted && failure === undefined) await roomOrStop();
      if (signal.aborted || failure !== undefined) break;
    }
    while (running.size > 0) await roomOrStop();
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (failure !== undefined) throw failure.error;
}
