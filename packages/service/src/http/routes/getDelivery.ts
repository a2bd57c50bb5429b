/** `GET /deliveries/{id}`. */
import { callbackUrlFor, isWellFormedDeliveryId } from '@downloader/callback-core';
import type { Context } from 'hono';
import { DEFAULT_FILE_PAGE_SIZE } from '../../domain/paging.js';
import type { AppDeps } from '../AppDeps.js';
import { toDeliveryView } from '../deliveryView.js';
import { HttpError } from '../HttpError.js';
import { baseUrlOf } from './baseUrlOf.js';

/** Handles `GET /deliveries/{id}`: status, counts and the first page of files (the rest: `/files`). */
export async function getDelivery(c: Context, deps: AppDeps): Promise<Response> {
  const id = c.req.param('id') ?? '';
  const delivery = isWellFormedDeliveryId(id) ? await deps.store.get(id) : undefined;
  if (delivery === undefined) throw new HttpError(404, 'delivery_not_found', `No delivery with id "${id}".`);
  const files = await deps.store.listFiles(id, { limit: DEFAULT_FILE_PAGE_SIZE });
  return c.json(toDeliveryView(delivery, callbackUrlFor(baseUrlOf(c, deps), delivery.id), files));
}
