import { type Rejection, reject } from './rejection.js';

/** Default tolerance between the signed timestamp and the verifier's clock, both directions. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Unix seconds, 1 to 10 digits: no sign, no fraction, no exponent, no whitespace, no leading `+`. */
const UNIX_SECONDS = /^\d{1,10}$/;

/** Parses a Unix-seconds timestamp strictly; `undefined` when the text is not `^\d{1,10}$`. */
export function parseUnixSeconds(text: string): number | undefined {
  return UNIX_SECONDS.test(text) ? Number(text) : undefined;
}

/**
 * Checks a signed instant against the clock: older than the tolerance is `stale` (a replay or a very
 * late retry), newer is `future` (a pre-signed request kept for later, or a skewed clock).
 * Returns `undefined` when the instant is acceptable.
 */
export function checkTolerance(
  signedAtMs: number,
  now: Date,
  toleranceSeconds: number,
): Rejection | undefined {
  const skewMs = now.getTime() - signedAtMs;
  const toleranceMs = toleranceSeconds * 1000;
  if (skewMs > toleranceMs) {
    return reject(
      'stale',
      `timestamp is ${Math.floor(skewMs / 1000)} s old; the limit is ${toleranceSeconds} s`,
    );
  }
  if (-skewMs > toleranceMs) {
    return reject(
      'future',
      `timestamp is ${Math.floor(-skewMs / 1000)} s in the future; the limit is ${toleranceSeconds} s`,
    );
  }
  return undefined;
}
