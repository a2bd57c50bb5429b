/** Delivery headers kept in memory for as long as the database provably has not changed. */
import type Database from 'better-sqlite3';
import type { DeliveryHeader } from '../../../ports/DeliveryStore.js';
import { type DeliveryHeaderRow, SELECT_DELIVERY_HEADER, toDeliveryHeader } from './rows.js';

/** Enough for every delivery a busy provider retries at once; past it the cache starts over. */
const DEFAULT_MAX_ENTRIES = 1024;

/**
 * The callback route reads a delivery's header on every request, duplicates included. A cached
 * header is only returned while two counters are unchanged since it was read: `total_changes()`
 * of this connection (any row this store wrote, whatever the method) and `PRAGMA data_version`
 * (a commit by any other connection). Either moving empties the cache, so SQLite stays the source
 * of truth. Checking both costs two small statements that touch no table, instead of a row read
 * and its mapping.
 *
 * The store holds its file exclusively (`locking_mode = EXCLUSIVE`), so no other connection can
 * commit while it is open and `data_version` stands still; it is checked anyway, because it is
 * what keeps the cache correct should the file ever be shared, and with the WAL index in private
 * memory it costs ~0.15 µs (it read the shared-memory index, ~1.7 µs, before).
 */
export class DeliveryHeaderCache {
  readonly #read: Database.Statement;
  readonly #changes: Database.Statement;
  readonly #dataVersion: Database.Statement;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, DeliveryHeader>();
  #seenChanges = -1;
  #seenDataVersion = -1;

  constructor(db: Database.Database, maxEntries: number = DEFAULT_MAX_ENTRIES) {
    this.#read = db.prepare(SELECT_DELIVERY_HEADER);
    this.#changes = db.prepare('SELECT total_changes()').pluck();
    this.#dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.#maxEntries = maxEntries;
  }

  /** The header of delivery `id` as the database holds it now; `undefined` when there is none. */
  get(id: string): DeliveryHeader | undefined {
    const changes = this.#changes.get() as number;
    const dataVersion = this.#dataVersion.get() as number;
    if (changes !== this.#seenChanges || dataVersion !== this.#seenDataVersion) {
      this.#entries.clear();
      this.#seenChanges = changes;
      this.#seenDataVersion = dataVersion;
    }
    const cached = this.#entries.get(id);
    if (cached !== undefined) return cached;
    const row = this.#read.get(id) as DeliveryHeaderRow | undefined;
    if (row === undefined) return undefined;
    // Frozen: every caller gets this same object until the next change.
    const header = deepFreeze(toDeliveryHeader(row));
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    this.#entries.set(id, header);
    return header;
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const field of Object.values(value)) {
    if (typeof field === 'object' && field !== null) deepFreeze(field);
  }
  return Object.freeze(value);
}
