import { createHash } from 'node:crypto';
import type { NewDelivery } from '../ports/DeliveryStore.js';

/**
 * Fingerprint of a registration request, stored with its Idempotency-Key: a replay with the same
 * key and the same fingerprint returns the first delivery, a different fingerprint is a conflict.
 * One definition for every store, so both engines judge a replay the same way.
 */
export function registrationHash(input: NewDelivery): string {
  const canonical = JSON.stringify([
    input.providerId,
    input.projectId ?? null,
    input.label ?? null,
    input.files ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
