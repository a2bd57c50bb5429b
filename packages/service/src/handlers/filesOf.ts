/** A delivery's files read from the store page by page, for tasks that walk many of them. */
import type { FileRecord, FileStatus } from '../domain/delivery.js';
import { MAX_PAGE_SIZE } from '../domain/paging.js';
import type { DeliveryStore } from '../ports/DeliveryStore.js';

/** Which files {@link filesOf} yields. */
export interface FilesQuery {
  /** @default every status */
  readonly statuses?: readonly FileStatus[];
  /** @default 0 */
  readonly fromIndex?: number;
  /** End of the index range (exclusive). @default no end */
  readonly toIndex?: number;
  /** Records per store query. @default the store's largest page */
  readonly pageSize?: number;
}

/**
 * Yields the delivery's files in `statuses` with `fromIndex <= index < toIndex`, in index order.
 * Pages are read as the consumer pulls, so memory holds one page, not the list.
 */
export async function* filesOf(
  store: DeliveryStore,
  deliveryId: string,
  query: FilesQuery = {},
): AsyncGenerator<FileRecord> {
  const toIndex = query.toIndex ?? Number.MAX_SAFE_INTEGER;
  let cursor: string | undefined;
  do {
    const page = await store.listFiles(deliveryId, {
      ...(query.statuses === undefined ? {} : { status: query.statuses }),
      fromIndex: query.fromIndex ?? 0,
      limit: query.pageSize ?? MAX_PAGE_SIZE,
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (const file of page.items) {
      if (file.index >= toIndex) return;
      yield file;
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}
