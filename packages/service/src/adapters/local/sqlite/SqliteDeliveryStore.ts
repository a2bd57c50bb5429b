/** The local delivery store: one SQLite file (better-sqlite3), WAL journal, one owner, every method atomic. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { NormalisedCallback } from '../../../domain/callback.js';
import type { Delivery, DeliveryStatus, FileStatus } from '../../../domain/delivery.js';
import { IdempotencyConflictError, ServiceError } from '../../../domain/errors.js';
import type { FileSpec } from '../../../domain/fileSpec.js';
import { registrationHash } from '../../../domain/registrationHash.js';
import type {
  CreateResult,
  DeliveryFile,
  DeliveryHeader,
  DeliveryPage,
  DeliveryStore,
  FilePatch,
  IncomingCallback,
  ListDeliveriesQuery,
  NewDelivery,
  RecordCallbackResult,
  TransitionOptions,
} from '../../../ports/DeliveryStore.js';
import { DeliveryHeaderCache } from './DeliveryHeaderCache.js';
import { type DeliveryRow, type FileRow, toDelivery, toFileRecord } from './rows.js';
import { StateDatabaseInUseError } from './StateDatabaseInUseError.js';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 1000;

/** Options of {@link SqliteDeliveryStore}. */
export interface SqliteDeliveryStoreOptions {
  /** Path of the database file (created with its folder), or `:memory:`. */
  readonly path: string;
  /** Clock, for `updatedAt`. @default () => new Date() */
  readonly now?: () => Date;
}

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_RECOVERY, ...): another connection holds the file. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

function encodeCursor(seq: number): string {
  return Buffer.from(String(seq), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const seq = Number(text);
  if (!/^[1-9][0-9]{0,15}$/.test(text) || !Number.isSafeInteger(seq)) {
    throw new ServiceError('INVALID_CURSOR', 'The paging cursor is not valid; start again without a cursor.');
  }
  return seq;
}

/**
 * {@link DeliveryStore} on a SQLite file. better-sqlite3 is synchronous, so each method runs
 * as one transaction without interleaving: conditional updates and callback classification
 * are atomic without extra locking. One store owns the file at a time: it holds an exclusive lock
 * from construction to `close()` (or the end of its process), and a second store on the same file
 * throws {@link StateDatabaseInUseError}.
 *
 * @throws {@link StateDatabaseInUseError} from the constructor when another store holds the file
 */
export class SqliteDeliveryStore implements DeliveryStore {
  readonly #db: Database.Database;
  readonly #now: () => Date;
  /** Prepared statements by SQL text: preparing costs more than running a point query. */
  readonly #statements = new Map<string, Database.Statement>();
  readonly #headers: DeliveryHeaderCache;

  constructor(options: SqliteDeliveryStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    // No busy wait: a held file is refused at once (nothing else contends once this store is open).
    this.#db = new Database(options.path, { timeout: 0 });
    this.#now = options.now ?? (() => new Date());
    try {
      this.#open();
    } catch (error) {
      this.#db.close();
      if (isBusy(error)) throw new StateDatabaseInUseError(options.path, { cause: error });
      throw error;
    }
    this.#headers = new DeliveryHeaderCache(this.#db);
  }

  /**
   * Takes the file for this store alone, then sets up the schema. `locking_mode = EXCLUSIVE`
   * before the first access in WAL mode keeps the WAL index in this process's memory instead of
   * a shared-memory file: every read and write skips the shared-memory locking (a point read
   * ~1.4 instead of ~3.4 µs), and the file stays locked until `close()` or the end of the
   * process. A second store on the file, in this process or another, fails here with
   * SQLITE_BUSY: two services on one data folder would both resume the same deliveries.
   */
  #open(): void {
    this.#db.pragma('locking_mode = EXCLUSIVE');
    this.#db.pragma('journal_mode = WAL');
    // FULL: a committed transition survives a power cut as well as a killed process.
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('foreign_keys = ON');
    this.#db.exec(SCHEMA_SQL);
    this.#db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  async create(input: NewDelivery): Promise<CreateResult> {
    const hash = registrationHash(input);
    return this.#db.transaction((): CreateResult => {
      const existing =
        input.idempotencyKey === undefined
          ? this.#row(input.id)
          : ((this.#stmt('SELECT * FROM deliveries WHERE idempotency_key = ?').get(input.idempotencyKey) as
              | DeliveryRow
              | undefined) ?? this.#row(input.id));
      if (existing !== undefined) {
        if (input.idempotencyKey !== undefined && existing.request_hash !== hash) {
          throw new IdempotencyConflictError(input.idempotencyKey);
        }
        return { delivery: this.#load(existing), created: false };
      }
      this.#stmt(
        `INSERT INTO deliveries (id, provider_id, project_id, label, status, created_at, expires_at, updated_at,
             idempotency_key, request_hash)
           VALUES (?, ?, ?, ?, 'awaiting_callback', ?, ?, ?, ?, ?)`,
      ).run(
        input.id,
        input.providerId,
        input.projectId ?? null,
        input.label ?? null,
        input.createdAt,
        input.expiresAt,
        input.createdAt,
        input.idempotencyKey ?? null,
        hash,
      );
      if (input.files !== undefined && input.files.length > 0) this.#insertFiles(input.id, input.files);
      const row = this.#row(input.id);
      if (row === undefined)
        throw new ServiceError('DELIVERY_NOT_FOUND', 'The delivery vanished while being created.');
      return { delivery: this.#load(row), created: true };
    })();
  }

  async get(id: string): Promise<Delivery | undefined> {
    const row = this.#row(id);
    return row === undefined ? undefined : this.#load(row);
  }

  async getHeader(id: string): Promise<DeliveryHeader | undefined> {
    // The callback route's read on every request, duplicates included: see DeliveryHeaderCache.
    return this.#headers.get(id);
  }

  async list(query: ListDeliveriesQuery = {}): Promise<DeliveryPage> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
    const statuses =
      query.status === undefined ? [] : typeof query.status === 'string' ? [query.status] : [...query.status];
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (statuses.length > 0) {
      where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
    }
    if (query.cursor !== undefined) {
      where.push('seq < ?');
      params.push(decodeCursor(query.cursor));
    }
    const sql = `SELECT * FROM deliveries ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY seq DESC LIMIT ?`;
    const rows = this.#stmt(sql).all(...params, limit + 1) as DeliveryRow[];
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => (query.withoutFiles === true ? toDelivery(row, []) : this.#load(row))),
      ...(rows.length > limit && last !== undefined ? { nextCursor: encodeCursor(last.seq) } : {}),
    };
  }

  async transition(
    id: string,
    from: readonly DeliveryStatus[],
    to: DeliveryStatus,
    options: TransitionOptions = {},
  ): Promise<boolean> {
    if (from.length === 0) return false;
    const result = this.#stmt(
      `UPDATE deliveries SET status = ?, updated_at = ?, error_json = COALESCE(?, error_json)
         WHERE id = ? AND status IN (${from.map(() => '?').join(', ')})`,
    ).run(to, this.#stamp(), options.error === undefined ? null : JSON.stringify(options.error), id, ...from);
    return result.changes === 1;
  }

  async putTaskToken(id: string, token: string): Promise<void> {
    this.#stmt('UPDATE deliveries SET task_token = ? WHERE id = ?').run(token, id);
  }

  async getTaskToken(id: string): Promise<string | undefined> {
    const row = this.#stmt('SELECT task_token FROM deliveries WHERE id = ?').get(id) as
      | { task_token: string | null }
      | undefined;
    return row?.task_token ?? undefined;
  }

  async deleteTaskToken(id: string): Promise<void> {
    this.#stmt('UPDATE deliveries SET task_token = NULL WHERE id = ?').run(id);
  }

  async recordCallback(id: string, incoming: IncomingCallback): Promise<RecordCallbackResult> {
    return this.#db.transaction((): RecordCallbackResult => {
      const row = this.#row(id);
      if (row === undefined) return { verdict: 'not_found' };
      const stored = this.#stmt('SELECT body_sha256 FROM callback_dedupe WHERE dedupe_key = ?').get(
        incoming.dedupeKey,
      ) as { body_sha256: string } | undefined;
      if (stored !== undefined) {
        const same = stored.body_sha256.toLowerCase() === incoming.bodySha256.toLowerCase();
        return { verdict: same ? 'duplicate' : 'conflict', delivery: this.#load(row) };
      }
      if (row.status !== 'awaiting_callback') return { verdict: 'closed', delivery: this.#load(row) };
      this.#stmt(
        'INSERT INTO callback_dedupe (dedupe_key, body_sha256, delivery_id, received_at) VALUES (?, ?, ?, ?)',
      ).run(incoming.dedupeKey, incoming.bodySha256.toLowerCase(), id, incoming.receivedAt);
      const receipt = {
        ...(incoming.eventId === undefined ? {} : { eventId: incoming.eventId }),
        dedupeKey: incoming.dedupeKey,
        bodySha256: incoming.bodySha256.toLowerCase(),
        receivedAt: incoming.receivedAt,
      };
      this.#stmt(
        `UPDATE deliveries SET status = 'resolving', updated_at = ?, callback_receipt_json = ?, callback_json = ?
           WHERE id = ?`,
      ).run(this.#stamp(), JSON.stringify(receipt), JSON.stringify(incoming.callback), id);
      const updated = this.#row(id);
      return { verdict: 'new', ...(updated === undefined ? {} : { delivery: this.#load(updated) }) };
    })();
  }

  async getCallback(id: string): Promise<NormalisedCallback | undefined> {
    const row = this.#stmt('SELECT callback_json FROM deliveries WHERE id = ?').get(id) as
      | { callback_json: string | null }
      | undefined;
    return row?.callback_json == null ? undefined : (JSON.parse(row.callback_json) as NormalisedCallback);
  }

  async setFiles(id: string, files: readonly FileSpec[]): Promise<boolean> {
    return this.#db.transaction((): boolean => {
      const count = this.#stmt('SELECT COUNT(*) AS n FROM files WHERE delivery_id = ?').get(id) as {
        n: number;
      };
      if (count.n > 0) return false;
      this.#insertFiles(id, files);
      this.#stmt('UPDATE deliveries SET updated_at = ? WHERE id = ?').run(this.#stamp(), id);
      return true;
    })();
  }

  async getFile(id: string, index: number) {
    const row = this.#stmt('SELECT * FROM files WHERE delivery_id = ? AND idx = ?').get(id, index) as
      | FileRow
      | undefined;
    return row === undefined ? undefined : toFileRecord(row);
  }

  async getDeliveryFile(id: string, index: number): Promise<DeliveryFile | undefined> {
    // One read transaction: the header and the file are seen at the same instant.
    return this.#db.transaction(() => {
      const row = this.#row(id);
      if (row === undefined) return undefined;
      const { files: _files, ...delivery } = toDelivery(row, []);
      const file = this.#stmt('SELECT * FROM files WHERE delivery_id = ? AND idx = ?').get(id, index) as
        | FileRow
        | undefined;
      return { delivery, file: file === undefined ? undefined : toFileRecord(file) };
    })();
  }

  async listFileIndices(
    id: string,
    query: { readonly statuses: readonly FileStatus[]; readonly fromIndex: number; readonly limit: number },
  ): Promise<number[]> {
    if (query.statuses.length === 0) return [];
    const rows = this.#stmt(
      `SELECT idx FROM files WHERE delivery_id = ? AND idx >= ? AND status IN (${query.statuses
        .map(() => '?')
        .join(', ')}) ORDER BY idx LIMIT ?`,
    ).all(id, query.fromIndex, ...query.statuses, query.limit) as { idx: number }[];
    return rows.map((row) => row.idx);
  }

  async updateFile(id: string, index: number, patch: FilePatch): Promise<void> {
    const sets: string[] = [];
    const params: (string | number | null)[] = [];
    const set = (column: string, value: string | number | null) => {
      sets.push(`${column} = ?`);
      params.push(value);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.bytes !== undefined) set('bytes', patch.bytes);
    if (patch.size !== undefined) set('size', patch.size);
    if (patch.sha256 !== undefined) set('sha256', patch.sha256);
    if (patch.route !== undefined) set('route', patch.route);
    if (patch.error !== undefined)
      set('error_json', patch.error === null ? null : JSON.stringify(patch.error));
    if (sets.length === 0) return;
    this.#fileWrite(() => {
      this.#stmt(`UPDATE files SET ${sets.join(', ')} WHERE delivery_id = ? AND idx = ?`).run(
        ...params,
        id,
        index,
      );
      this.#stmt('UPDATE deliveries SET updated_at = ? WHERE id = ?').run(this.#stamp(), id);
    });
  }

  async startFileAttempt(id: string, index: number, route?: 'small' | 'large'): Promise<number> {
    // One transaction for the attempt and the route, not two.
    return this.#fileWrite((): number => {
      const row = this.#stmt(
        `UPDATE files SET attempts = attempts + 1, status = 'downloading', route = COALESCE(?, route)
         WHERE delivery_id = ? AND idx = ? RETURNING attempts`,
      ).get(route ?? null, id, index) as { attempts: number } | undefined;
      if (row === undefined)
        throw new ServiceError('DELIVERY_NOT_FOUND', `Delivery "${id}" has no file #${index}.`);
      if (route !== undefined)
        this.#stmt('UPDATE deliveries SET updated_at = ? WHERE id = ?').run(this.#stamp(), id);
      return row.attempts;
    });
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  /**
   * Runs a per-file write (progress, attempt, outcome) as one transaction committed without a
   * journal sync (`synchronous = NORMAL` for this commit only; WAL mode keeps it atomic and
   * durable across a killed process). Every other write stays `FULL`, and each `FULL` commit
   * syncs the whole WAL, relaxed commits before it included: a delivery's terminal transition
   * therefore makes every file record it was decided from durable.
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
    this.#stmt('PRAGMA synchronous = NORMAL').run();
    try {
      return this.#db.transaction(write)();
    } finally {
      this.#stmt('PRAGMA synchronous = FULL').run();
    }
  }

  /** The prepared statement for `sql`, prepared once per store (the SQL variants are few and fixed). */
  #stmt(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #stamp(): string {
    return this.#now().toISOString();
  }

  #row(id: string): DeliveryRow | undefined {
    return this.#stmt('SELECT * FROM deliveries WHERE id = ?').get(id) as DeliveryRow | undefined;
  }

  #load(row: DeliveryRow): Delivery {
    const files = this.#stmt('SELECT * FROM files WHERE delivery_id = ? ORDER BY idx').all(
      row.id,
    ) as FileRow[];
    return toDelivery(row, files.map(toFileRecord));
  }

  #insertFiles(id: string, files: readonly FileSpec[]): void {
    const insert = this.#stmt(
      `INSERT INTO files (delivery_id, idx, name, source_url, size, expected_json, status)
       VALUES (?, ?, ?, ?, ?, ?, 'pending')`,
    );
    files.forEach((file, index) => {
      insert.run(
        id,
        index,
        file.name,
        file.url,
        file.size ?? null,
        file.checksums === undefined ? null : JSON.stringify(file.checksums),
      );
    });
  }
}
