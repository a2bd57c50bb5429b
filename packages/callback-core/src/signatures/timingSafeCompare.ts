import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two digests in constant time. A length mismatch returns false at once: the expected length
 * is a public property of the algorithm, so it leaks nothing; the bytes themselves are only ever
 * compared by `crypto.timingSafeEqual`.
 */
export function digestsEqual(expected: Uint8Array, presented: Uint8Array): boolean {
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}
