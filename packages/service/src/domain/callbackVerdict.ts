/** How a callback is classified against its delivery: one rule for every store and the route. */
import type { CallbackReceipt, DeliveryHeader } from './delivery.js';

/**
 * How a callback was classified:
 * - `new`: it may be accepted (the delivery awaits a callback, nothing has this dedupe key);
 * - `duplicate`: same dedupe key and body as an accepted callback: nothing changes;
 * - `conflict`: same dedupe key, different body: nothing changes;
 * - `not_found`: no such delivery;
 * - `closed`: the delivery no longer awaits a callback (another callback was accepted, it
 *   finished, or its deadline passed and it was marked so): nothing changes;
 * - `expired`: it still awaits one, but its deadline has passed (only judged when `now` is given).
 */
export type CallbackVerdict = 'new' | 'duplicate' | 'conflict' | 'not_found' | 'closed' | 'expired';

/** The identity of an incoming callback. */
export interface CallbackIdentity {
  readonly eventId?: string;
  readonly dedupeKey: string;
  /** Hex sha256 of the raw body (any case). */
  readonly bodySha256: string;
  /** ISO-8601. */
  readonly receivedAt: string;
}

/** What a store keeps of an accepted callback: the body hash in lower case. */
export function receiptOf(incoming: CallbackIdentity): CallbackReceipt {
  return {
    ...(incoming.eventId === undefined ? {} : { eventId: incoming.eventId }),
    dedupeKey: incoming.dedupeKey,
    bodySha256: incoming.bodySha256.toLowerCase(),
    receivedAt: incoming.receivedAt,
  };
}

/** What the judgement looks at. */
export interface CallbackJudgement {
  /** The delivery as stored now; undefined when there is none. */
  readonly delivery: DeliveryHeader | undefined;
  /** The accepted callback stored under the incoming dedupe key, if any. */
  readonly stored: { readonly bodySha256: string } | undefined;
  readonly incoming: Pick<CallbackIdentity, 'dedupeKey' | 'bodySha256'>;
  /** When given, a delivery past its deadline that still awaits a callback is `expired`. */
  readonly now?: Date;
}

/**
 * The verdict, in this order: no delivery → `not_found`; a stored callback with this key →
 * `duplicate` or `conflict` by body; not awaiting → `closed`; past the deadline → `expired`;
 * else `new`. A delivery's own receipt counts as stored when its key matches, so a judge that
 * sees only the header (the route) decides as the store does.
 */
export function judgeCallback(input: CallbackJudgement): CallbackVerdict {
  const { delivery, incoming } = input;
  if (delivery === undefined) return 'not_found';
  const stored =
    input.stored ?? (delivery.callback?.dedupeKey === incoming.dedupeKey ? delivery.callback : undefined);
  if (stored !== undefined) {
    return stored.bodySha256.toLowerCase() === incoming.bodySha256.toLowerCase() ? 'duplicate' : 'conflict';
  }
  if (delivery.status !== 'awaiting_callback') return 'closed';
  if (input.now !== undefined && Date.parse(delivery.expiresAt) <= input.now.getTime()) return 'expired';
  return 'new';
}
