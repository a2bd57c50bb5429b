/** Idempotent registration: one fingerprint and one replay judgement for every store. */
import { createHash } from 'node:crypto';
import { IdempotencyConflictError } from './errors.js';
import type { FileSpec } from './fileSpec.js';

/** The fields of a registration that make it the same request. */
export interface RegistrationRequest {
  readonly providerId: string;
  readonly projectId?: string;
  readonly label?: string;
  readonly files?: readonly FileSpec[];
}

/**
 * Fingerprint of a registration request, stored with its Idempotency-Key: a replay with the same
 * key and the same fingerprint returns the first delivery, a different fingerprint is a conflict.
 */
export function registrationHash(input: RegistrationRequest): string {
  const canonical = JSON.stringify([
    input.providerId,
    input.projectId ?? null,
    input.label ?? null,
    input.files ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Judges a registration that met an earlier one with the same idempotency key (or id): returns
 * when it is a replay of it, so the earlier delivery is the answer.
 * @throws IdempotencyConflictError when the key came with a different request
 */
export function assertSameRegistration(
  idempotencyKey: string | undefined,
  storedHash: string,
  incomingHash: string,
): void {
  if (idempotencyKey !== undefined && storedHash !== incomingHash) {
    throw new IdempotencyConflictError(idempotencyKey);
  }
}
