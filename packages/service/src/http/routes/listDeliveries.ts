/** `GET /deliveries?status=…&limit=…&cursor=…`. */
import { callbackUrlFor } from '@downloader/callback-core';
import type { Context } from 'hono';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../domain/delivery.js';
import type { AppDeps } from '../AppDeps.js';
import { toDeliveryView } from '../deliveryView.js';
import { HttpError } from '../HttpError.js';
import { baseUrlOf } from './baseUrlOf.js';

function isStatus(value: string): value is DeliveryStatus {
  return (DELIVERY_STATUSES as readonly string[]).includes(value);
}

/** Handles `GET /deliveries`: newest first; `status` may repeat or be comma-separated. */
export async function listDeliveries(c: Context, deps: AppDeps): Promise<Response> {
  const statuses = (c.req.queries('status') ?? [])
    .flatMap((value) => value.split(','))
    .filter((s) => s !== '');
  const unknown = statuses.filter((status) => !isStatus(status));
  if (unknown.length > 0) {
    throw new HttpError(
      400,
      'invalid_query',
      `Unknown status ${unknown.map((s) => `"${s}"`).join(', ')}; use one of ${DELIVERY_STATUSES.join(', ')}.`,
    );
  }
  const limitText = c.req.query('limit');
  const limit = limitText === undefined ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new HttpError(400, 'invalid_query', 'limit must be a whole number from 1 to 1000.');
  }
  const cursor = c.req.query('cursor');
  const page = await deps.store.list({
    status: statuses.filter(isStatus),
    limit,
    ...(cursor === undefined || cursor === '' ? {} : { cursor }),
  });
  const base = baseUrlOf(c, deps);
  return c.json({
    items: page.items.map((delivery) => toDeliveryView(delivery, callbackUrlFor(base, delivery.id))),
    nextCursor: page.nextCursor ?? null,
  });
}
