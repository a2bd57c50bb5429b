/**
 * Why a callback was refused. The values are stable: they appear in HTTP responses, logs and
 * metrics, so a value is never renamed or reused for a different meaning.
 *
 * - `bad_signature`: no configured secret produced any of the presented signatures.
 * - `stale` / `future`: the signed timestamp is outside the tolerance window (replay defence).
 * - `malformed_header`: a required header is present but does not parse (or is duplicated / too long).
 * - `missing_header`: a required header is absent.
 * - `unknown_provider`: no profile (or, for SNS, no allowed topic) matches the callback.
 * - `body_too_large`: the raw body is over the profile's cap.
 * - `invalid_payload`: the body does not parse or fails the payload schema.
 * - `unsupported_media_type`: the content type is not one the profile accepts.
 */
export type RejectionReason =
  | 'bad_signature'
  | 'stale'
  | 'future'
  | 'malformed_header'
  | 'missing_header'
  | 'unknown_provider'
  | 'body_too_large'
  | 'invalid_payload'
  | 'unsupported_media_type';

/** Every {@link RejectionReason}, for exhaustive checks and schema enums. */
export const REJECTION_REASONS: readonly RejectionReason[] = [
  'bad_signature',
  'stale',
  'future',
  'malformed_header',
  'missing_header',
  'unknown_provider',
  'body_too_large',
  'invalid_payload',
  'unsupported_media_type',
];

/** A refused callback: a stable reason code plus a human-readable message (safe to return to the caller). */
export interface Rejection {
  readonly ok: false;
  readonly reason: RejectionReason;
  readonly message: string;
}

/** Builds a {@link Rejection}. */
export function reject(reason: RejectionReason, message: string): Rejection {
  return { ok: false, reason, message };
}
