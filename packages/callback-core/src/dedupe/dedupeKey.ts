/** Dedupe keys for callbacks: provider + event id, plus a body hash to spot a reused id. */
import { hash } from 'node:crypto';
import { InvalidDedupeInputError } from '../errors.js';

/** What a store keeps per callback to recognise repeats. */
export interface DedupeRecord {
  /** `<providerId>/<eventId>`, each part percent-encoded so neither can forge the separator. */
  readonly key: string;
  /** Lower-case hex sha256 of the raw body bytes. */
  readonly bodySha256: string;
}

const MAX_PART_LENGTH = 512;

/**
 * Computes the dedupe record of one callback.
 *
 * @param input.providerId - the profile id
 * @param input.eventId - the provider's event / delivery id (from the verified signature
 *   headers); for providers that send none, use the delivery id so one delivery dedupes on body
 * @param input.body - the raw body bytes exactly as received
 * @throws {@link InvalidDedupeInputError} when an id is empty or longer than 512 characters
 */
export function dedupeKey(input: {
  readonly providerId: string;
  readonly eventId: string;
  readonly body: Uint8Array;
}): DedupeRecord {
  for (const [label, value] of [
    ['providerId', input.providerId],
    ['eventId', input.eventId],
  ] as const) {
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PART_LENGTH) {
      throw new InvalidDedupeInputError(
        `${label} must be a non-empty string of at most ${MAX_PART_LENGTH} characters.`,
      );
    }
  }
  return {
    key: `${encodeURIComponent(input.providerId)}/${encodeURIComponent(input.eventId)}`,
    // One-shot: no Hash object per callback (this runs on every request, duplicates included).
    bodySha256: hash('sha256', input.body, 'hex'),
  };
}
