/** The local delivery store: one SQLite file (better-sqlite3), WAL journal, one owner, every method atomic. */
import type Database from 'better-sqlite3';
import type { NormalisedCallback } from '../../../domain/callback.js';
import type {
  DeliveryHeader,
  DeliveryStatus,
  FilePage,
  FileRecord,
  FileStatus,
} from '../../../domain/delivery.js';
import { ServiceError } from '../../../domain/errors.js';
import type { FilePatch, FileUpdate } from '../../../domain/filePatch.js';
import type { FileSpec } from '../../../domain/fileSpec.js';
import { assertSameRegistration, registrationHash } from '../../../domain/registrationHash.js';
import type {
  CreateResult,
  DeliveryFile,
  DeliveryPage,
  DeliveryStore,
  IncomingCallback,
  ListDeliveriesQuery,
  ListFilesQuery,
  ListOpenQuery,
  NewDelivery,
  RecordCallbackResult,
  TransitionOptions,
} from '../../../ports/DeliveryStore.js';
import * as callbacks from './callbackRows.js';
import { DeliveryHeaderCache } from './DeliveryHeaderCache.js';
import * as rows from './deliveryRows.js';
import { placeholders } from './deliveryRows.js';
import * as files from './fileRows.js';
import { openStateDatabase } from './openStateDatabase.js';
import { StatementCache } from './StatementCache.js';

/** Options of {@link SqliteDeliveryStore}. */
export interface SqliteDeliveryStoreOptions {
  /** Path of the database file (created with its folder), or `:memory:`. */
  readonly path: string;
  /** Clock, for `updatedAt`. @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * {@link DeliveryStore} on a SQLite file. better-sqlite3 is synchronous, so each method runs
 * as one transaction without interleaving: conditional updates, counts and callback
 * classification are atomic without extra locking. One store owns the file at a time: it holds an
 * exclusive lock from construction to `close()` (or the end of its process), and a second store
 * on the same file throws {@link StateDatabaseInUseError}.
 *
 * @throws {@link StateDatabaseInUseError} from the constructor when another store holds the file
 */
export class SqliteDeliveryStore implements DeliveryStore {
  readonly #db: Database.Database;
  readonly #now: () => Date;
  readonly #sql: StatementCache;
  readonly #headers: DeliveryHeaderCache;

  constructor(options: SqliteDeliveryStoreOptions) {
    this.#db = openStateDatabase(options.path);
    this.#now = options.now ?? (() => new Date());
    this.#sql = new StatementCache(this.#db);
    this.#headers = new DeliveryHeaderCache(this.#db);
  }

  async create(input: NewDelivery): Promise<CreateResult> {
    const hash = registrationHash(input);
    return this.#db.transaction((): CreateResult => {
      const existing = rows.findRegistration(this.#sql, input);
      if (existing !== undefined) {
        assertSameRegistration(input.idempotencyKey, existing.request_hash, hash);
        return { delivery: this.#header(existing.id), created: false };
      }
      rows.insertDelivery(this.#sql, input, hash);
      if (input.files !== undefined && input.files.length > 0) {
        files.insertFiles(this.#sql, input.id, input.files, input.createdAt);
      }
      return { delivery: this.#header(input.id), created: true };
    })();
  }

  async get(id: string): Promise<DeliveryHeader | undefined> {
    // Read on every callback request, duplicates included: see DeliveryHeaderCache.
    return this.#headers.get(id);
  }

  async list(query: ListDeliveriesQuery = {}): Promise<DeliveryPage> {
    return rows.listDeliveries(this.#sql, query);
  }

  async listOpen(query: ListOpenQuery = {}): Promise<DeliveryPage> {
    return rows.listOpenDeliveries(this.#sql, query);
  }

  async transition(
    id: string,
    from: readonly DeliveryStatus[],
    to: DeliveryStatus,
    options: TransitionOptions = {},
  ): Promise<boolean> {
    if (from.length === 0) return false;
    const result = this.#sql
      .get(
        `UPDATE deliveries SET status = ?, updated_at = ?, error_json = COALESCE(?, error_json)
         WHERE id = ? AND status IN (${placeholders(from.length)})`,
      )
      .run(
        to,
        this.#stamp(),
        options.error === undefined ? null : JSON.stringify(options.error),
        id,
        ...from,
      );
    return result.changes === 1;
  }

  async putTaskToken(id: string, token: string): Promise<void> {
    this.#sql.get('UPDATE deliveries SET task_token = ? WHERE id = ?').run(token, id);
  }

  async getTaskToken(id: string): Promise<string | undefined> {
    const row = this.#sql.get('SELECT task_token FROM deliveries WHERE id = ?').get(id) as
      | { task_token: string | null }
      | undefined;
    return row?.task_token ?? undefined;
  }

  async deleteTaskToken(id: string): Promise<void> {
    this.#sql.get('UPDATE deliveries SET task_token = NULL WHERE id = ?').run(id);
  }

  async recordCallback(id: string, incoming: IncomingCallback): Promise<RecordCallbackResult> {
    return this.#db.transaction(() =>
      callbacks.recordCallback(this.#sql, (key) => this.#headers.get(key), id, incoming, this.#stamp()),
    )();
  }

  async getCallback(id: string): Promise<NormalisedCallback | undefined> {
    return callbacks.getCallback(this.#sql, id);
  }

  async setFiles(id: string, list: readonly FileSpec[]): Promise<boolean> {
    return this.#db.transaction((): boolean => {
      const row = this.#sql.get('SELECT files_total FROM deliveries WHERE id = ?').get(id) as
        | { files_total: number }
        | undefined;
      const any = this.#sql.get('SELECT 1 FROM files WHERE delivery_id = ? LIMIT 1').get(id);
      if (row === undefined || row.files_total > 0 || any !== undefined) return false;
      files.insertFiles(this.#sql, id, list, this.#stamp());
      return true;
    })();
  }

  async listFiles(id: string, query: ListFilesQuery = {}): Promise<FilePage> {
    return files.listFiles(this.#sql, id, query);
  }

  async getFile(id: string, index: number): Promise<FileRecord | undefined> {
    return files.getFile(this.#sql, id, index);
  }

  async getDeliveryFile(id: string, index: number): Promise<DeliveryFile | undefined> {
    // Both reads run in this one synchronous turn on the store's only connection: one instant.
    const delivery = this.#headers.get(id);
    if (delivery === undefined) return undefined;
    return { delivery, file: files.getFile(this.#sql, id, index) };
  }

  async listFileIndices(
    id: string,
    query: { readonly statuses: readonly FileStatus[]; readonly fromIndex: number; readonly limit: number },
  ): Promise<number[]> {
    return files.listFileIndices(this.#sql, id, query);
  }

  async updateFiles(id: string, updates: readonly FileUpdate[]): Promise<void> {
    this.#fileWrite(() => files.updateFiles(this.#sql, id, updates, this.#stamp()));
  }

  async updateFile(id: string, index: number, patch: FilePatch): Promise<void> {
    this.#fileWrite(() => files.patchFile(this.#sql, id, index, patch, this.#stamp()));
  }

  async startFileAttempt(id: string, index: number, route?: 'small' | 'large'): Promise<number> {
    const attempts = this.#fileWrite(() => files.startAttempt(this.#sql, id, index, route, this.#stamp()));
    if (attempts === undefined)
      throw new ServiceError('DELIVERY_NOT_FOUND', `Delivery "${id}" has no file #${index}.`);
    return attempts;
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  /**
   * Runs a per-file write (progress, attempt, outcome, and the counts they move) as one
   * transaction committed without a journal sync (`synchronous = NORMAL` for this commit only;
   * WAL mode keeps it atomic and durable across a killed process). Every other write stays
   * `FULL`, and each `FULL` commit syncs the whole WAL, relaxed commits before it included: a
   * delivery's terminal transition therefore makes every file record it was decided from durable.
   *
   * What a power cut can take back is only a file record newer than the last `FULL` commit: an
   * attempt count, bytes so far, or a `completed` whose object is already durable (the sink
   * syncs the data and its directory before the object appears). The restarted runtime then
   * finds that object on storage, hashes it and records it again instead of fetching it
   * (`adoptFinishedObject`), so a file reported verified in `_delivery.json` — written only
   * after every file finished — still holds after power loss. A journal sync per file event
   * blocked the event loop (better-sqlite3 is synchronous) two or three times per file.
   */
  #fileWrite<T>(write: () => T): T {
    this.#sql.get('PRAGMA synchronous = NORMAL').run();
    try {
      return this.#db.transaction(write)();
    } finally {
      this.#sql.get('PRAGMA synchronous = FULL').run();
    }
  }

  #stamp(): string {
    return this.#now().toISOString();
  }

  /** The header of a delivery this transaction just read or wrote (so it exists). */
  #header(id: string): DeliveryHeader {
    const header = this.#headers.get(id);
    if (header === undefined)
      throw new ServiceError('DELIVERY_NOT_FOUND', `Delivery "${id}" vanished mid-transaction.`);
    return header;
  }
}
