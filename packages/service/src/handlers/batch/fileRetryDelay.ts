/** How long a file waits before its next attempt: the definition's Retry rule, applied per file. */

/** The Retry rule of the definition's per-file tasks (2 s, doubling, at most 60 s, full jitter). */
const FIRST_DELAY_MS = 2000;
const BACKOFF_RATE = 2;
const MAX_DELAY_MS = 60_000;

/**
 * Milliseconds before attempt `attempt + 1` (`attempt` counts from 1): full jitter over the
 * capped exponential delay, as Step Functions' `JitterStrategy: FULL`; `fixedMs` instead when set.
 */
export function fileRetryDelay(attempt: number, fixedMs?: number): number {
  if (fixedMs !== undefined) return fixedMs;
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * BACKOFF_RATE ** (attempt - 1));
  return Math.random() * ceiling;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
