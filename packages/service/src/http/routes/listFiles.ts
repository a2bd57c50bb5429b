/** `GET /deliveries/{id}/files?status=…&cursor=…&limit=…`. */
import { isWellFormedDeliveryId } from '@downloader/callback-core';
import type { Context } from 'hono';
import { FILE_STATUSES } from '../../domain/delivery.js';
import { DEFAULT_FILE_PAGE_SIZE } from '../../domain/paging.js';
import type { AppDeps } from '../AppDeps.js';
import { toFilePageView } from '../deliveryView.js';
import { HttpError } from '../HttpError.js';
import { cursorParam, limitParam, statusParam, withCursor } from '../pageQuery.js';

/** Handles `GET /deliveries/{id}/files`: one page of files in index order, optionally by status. */
export async function listFiles(c: Context, deps: AppDeps): Promise<Response> {
  const id = c.req.param('id') ?? '';
  const status = statusParam(c, FILE_STATUSES);
  const limit = limitParam(c, DEFAULT_FILE_PAGE_SIZE);
  const delivery = isWellFormedDeliveryId(id) ? await deps.store.get(id) : undefined;
  if (delivery === undefined) throw new HttpError(404, 'delivery_not_found', `No delivery with id "${id}".`);
  const page = await withCursor(() => deps.store.listFiles(id, { status, limit, ...cursorParam(c) }));
  return c.json(toFilePageView(page));
}
