/** Decides what a repeated callback is. */
import type { DedupeRecord } from './dedupeKey.js';

/**
 * - `new`: nothing stored under this key: process it;
 * - `duplicate`: same key and same body: a retry; answer as before, change nothing;
 * - `conflict`: same key, different body: the provider reused an event id (or someone replays
 *   a captured id with new content); refuse it and alert.
 */
export type DuplicateVerdict = 'new' | 'duplicate' | 'conflict';

/**
 * Classifies an incoming callback against what the store holds for its key.
 *
 * @param stored - the record stored for `incoming.key`, or `undefined` when there is none
 * @param incoming - from `dedupeKey`
 */
export function classifyDuplicate(
  stored: DedupeRecord | undefined,
  incoming: DedupeRecord,
): DuplicateVerdict {
  if (stored === undefined || stored.key !== incoming.key) return 'new';
  return stored.bodySha256.toLowerCase() === incoming.bodySha256.toLowerCase() ? 'duplicate' : 'conflict';
}
