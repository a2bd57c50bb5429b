/** Delivery headers kept in memory for as long as the database provably has not changed. */
import type Database from 'better-sqlite3';
import type { DeliveryHeader } from '../../../domain/delivery.js';
import { type DeliveryHeaderRow, SELECT_DELIVERY_HEADER, toDeliveryHeader } from './rows.js';

/** Enough for every delivery a busy provider retries at once; past it the cache starts over. */
const DEFAULT_MAX_ENTRIES = 1024;

/**
 * The callback route reads a delivery's header on every request, duplicates included. A cached
 * header is only returned while `total_changes()` of the store's connection is unchanged since it
 * was read: any row this store wrote, whatever the method, moves it and empties the cache, so
 * SQLite stays the source of truth. That check is one statement that starts no transaction and
 * touches no table, instead of a row read and its mapping.
 *
 * No other connection can commit behind it: the store holds its file exclusively
 * (`locking_mode = EXCLUSIVE`, see `SqliteDeliveryStore`), and any other connection, in this
 * process or another, is refused. That is why `PRAGMA data_version` (which would see another
 * connection's commit) is not checked as well: it starts a read transaction on the file, ~0.15 µs
 * in a loop but ~5 µs per request inside the server, about a tenth of a duplicate callback's CPU.
 */
export class DeliveryHeaderCache {
  readonly #read: Database.Statement;
  readonly #changes: Database.Statement;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, DeliveryHeader>();
  #seenChanges = -1;

  constructor(db: Database.Database, maxEntries: number = DEFAULT_MAX_ENTRIES) {
    this.#read = db.prepare(SELECT_DELIVERY_HEADER);
    this.#changes = db.prepare('SELECT total_changes()').pluck();
    this.#maxEntries = maxEntries;
  }

  /** The header of delivery `id` as the database holds it now; `undefined` when there is none. */
  get(id: string): DeliveryHeader | undefined {
    const changes = this.#changes.get() as number;
    if (changes !== this.#seenChanges) {
      this.#entries.clear();
      this.#seenChanges = changes;
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
