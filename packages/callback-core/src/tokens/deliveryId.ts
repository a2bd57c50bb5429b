/** Delivery ids: the unguessable part of a capability callback URL. */
import { randomBytes } from 'node:crypto';

/** Random bytes per id: 192 bits, comfortably above the 128 a capability URL needs. */
const ID_BYTES = 24;
/** Length of every id: 24 bytes are exactly 32 base64url characters (no padding). */
export const DELIVERY_ID_LENGTH = 32;

const WELL_FORMED = /^[A-Za-z0-9_-]{32}$/;

/**
 * Mints a delivery id: 192 bits from the operating system's CSPRNG, base64url, always
 * {@link DELIVERY_ID_LENGTH} characters, safe in a URL path without escaping.
 */
export function mintDeliveryId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

/**
 * True when `value` has the exact shape {@link mintDeliveryId} produces. Use it to refuse junk
 * before any storage lookup; it says nothing about whether the id exists.
 */
export function isWellFormedDeliveryId(value: unknown): value is string {
  return typeof value === 'string' && WELL_FORMED.test(value);
}
