/** AwaitCallback's work: store the task token under the delivery id. */
import type { DeliveryStore } from '../ports/DeliveryStore.js';

/**
 * Stores `token` for the delivery. Returns true when the wait must be skipped because the
 * delivery no longer awaits a callback (a callback accepted before the token was stored, or a
 * delivery that already ended): the caller completes the task at once instead of waiting.
 */
export async function registerTaskToken(
  store: DeliveryStore,
  deliveryId: string,
  token: string,
): Promise<boolean> {
  await store.putTaskToken(deliveryId, token);
  const delivery = await store.get(deliveryId);
  return delivery === undefined || delivery.status !== 'awaiting_callback';
}
