/** Every file record of a delivery, read page by page. */
import type { DeliveryHeader, FileRecord } from '../domain/delivery.js';
import { MAX_PAGE_SIZE } from '../domain/paging.js';
import type { DeliveryStore } from '../ports/DeliveryStore.js';

/** A finished delivery with its whole file list (see `LocalRuntime.whenSettled`). */
export interface SettledDelivery extends DeliveryHeader {
  readonly files: readonly FileRecord[];
}

/** Reads the whole list in pages of {@link MAX_PAGE_SIZE}: O(N) memory, for tests and scripts. */
export async function allFiles(store: DeliveryStore, id: string): Promise<FileRecord[]> {
  const files: FileRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listFiles(id, {
      limit: MAX_PAGE_SIZE,
      ...(cursor === undefined ? {} : { cursor }),
    });
    files.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return files;
}
