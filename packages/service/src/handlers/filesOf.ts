/** A delivery's files read from the store page by page, for tasks that walk many of them. */
import type { FileRecord, FileStatus } from '../domain/delivery.js';
import type { DeliveryStore } from '../ports/DeliveryStore.js';

/** Indices read per store query: one page costs one query, whatever the delivery's size. */
const PAGE_SIZE = 256;

const EVERY_STATUS: readonly FileStatus[] = ['pending', 'downloading', 'completed', 'failed'];

/** Which files {@link filesOf} yields. */
export interface FilesQuery {
  /** @default every status */
  readonly statuses?: readonly FileStatus[];
  /** @default 0 */
  readonly fromIndex?: number;
  /** End of the index range (exclusive). @default no end */
  readonly toIndex?: number;
}

/**
 * Yields the delivery's files in `statuses` with `fromIndex <= index < toIndex`, in index order.
 * Pages are read as the consumer pulls, so memory holds one page, not the list; a file whose
 * status changed meanwhile is left out.
 */
export async function* filesOf(
  store: DeliveryStore,
  deliveryId: string,
  query: FilesQuery = {},
): AsyncGenerator<FileRecord> {
  const statuses = query.statuses ?? EVERY_STATUS;
  const toIndex = query.toIndex ?? Number.MAX_SAFE_INTEGER;
  let cursor = query.fromIndex ?? 0;
  while (cursor < toIndex) {
    const indices = await store.listFileIndices(deliveryId, {
      statuses,
      fromIndex: cursor,
      limit: PAGE_SIZE,
    });
    for (const index of indices) {
      if (index >= toIndex) return;
      const file = await store.getFile(deliveryId, index);
      if (file !== undefined && statuses.includes(file.status)) yield file;
    }
    const last = indices.at(-1);
    if (last === undefined || indices.length < PAGE_SIZE) return;
    cursor = last + 1;
  }
}
