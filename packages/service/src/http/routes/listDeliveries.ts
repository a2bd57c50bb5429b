/** `GET /deliveries?status=…&limit=…&cursor=…`. */
import { callbackUrlFor } from '@downloader/callback-core';
import type { Context } from 'hono';
import { DELIVERY_STATUSES } from '../../domain/delivery.js';
import { DEFAULT_DELIVERY_PAGE_SIZE } from '../../domain/paging.js';
import type { AppDeps } from '../AppDeps.js';
import { toDeliveryView } from '../deliveryView.js';
import { cursorParam, limitParam, statusParam, withCursor } from '../pageQuery.js';
import { baseUrlOf } from './baseUrlOf.js';

/** Handles `GET /deliveries`: newest first, counts but no files; `status` may repeat or be comma-separated. */
export async function listDeliveries(c: Context, deps: AppDeps): Promise<Response> {
  const status = statusParam(c, DELIVERY_STATUSES);
  const limit = limitParam(c, DEFAULT_DELIVERY_PAGE_SIZE);
  const page = await withCursor(() => deps.store.list({ status, limit, ...cursorParam(c) }));
  const base = baseUrlOf(c, deps);
  return c.json({
    items: page.items.map((delivery) => toDeliveryView(delivery, callbackUrlFor(base, delivery.id))),
    nextCursor: page.nextCursor ?? null,
  });
}
