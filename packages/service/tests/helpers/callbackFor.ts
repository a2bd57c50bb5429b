/** Builds the IncomingCallback the HTTP layer would hand over after verifying a body. */
import { createHash } from 'node:crypto';
import { dedupeKey, type PayloadProfile, parseCallbackPayload } from '@downloader/callback-core';
import type { IncomingCallback } from '../../src/ports/DeliveryStore.js';

export function callbackFor(
  deliveryId: string,
  payload: unknown,
  profile: PayloadProfile,
  eventId?: string,
): IncomingCallback {
  const body = Buffer.from(JSON.stringify(payload));
  const record = dedupeKey({ providerId: 'demo', eventId: eventId ?? deliveryId, body });
  return {
    ...(eventId === undefined ? {} : { eventId }),
    dedupeKey: record.key,
    bodySha256: createHash('sha256').update(body).digest('hex'),
    receivedAt: new Date().toISOString(),
    callback: { source: parseCallbackPayload(body, profile) },
  };
}
