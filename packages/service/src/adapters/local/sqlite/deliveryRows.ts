/** The delivery rows of the SQLite store: insert, find for idempotency, list newest first. */
import { type DeliveryHeader, OPEN_STATUSES } from '../../../domain/delivery.js';
import { DEFAULT_DELIVERY_PAGE_SIZE, decodeCursor, encodeCursor, pageLimit } from '../../../domain/paging.js';
import type {
  DeliveryPage,
  ListDeliveriesQuery,
  ListOpenQuery,
  NewDelivery,
} from '../../../ports/DeliveryStore.js';
import { type DeliveryHeaderRow, HEADER_COLUMNS, toDeliveryHeader } from './rows.js';
import type { StatementCache } from './StatementCache.js';

export const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

/** The delivery a registration replays: the one with its idempotency key, else the one with its id. */
export function findRegistration(
  sql: StatementCache,
  input: Pick<NewDelivery, 'id' | 'idempotencyKey'>,
): { readonly id: string; readonly request_hash: string } | undefined {
  type Found = { id: string; request_hash: string } | undefined;
  const byKey =
    input.idempotencyKey === undefined
      ? undefined
      : (sql
          .get('SELECT id, request_hash FROM deliveries WHERE idempotency_key = ?')
          .get(input.idempotencyKey) as Found);
  return byKey ?? (sql.get('SELECT id, request_hash FROM deliveries WHERE id = ?').get(input.id) as Found);
}

/** Inserts the delivery row, awaiting its callback, with zero counts. */
export function insertDelivery(sql: StatementCache, input: NewDelivery, requestHash: string): void {
  sql
    .get(
      `INSERT INTO deliveries (id, provider_id, project_id, label, status, created_at, expires_at, updated_at,
         idempotency_key, request_hash)
       VALUES (?, ?, ?, ?, 'awaiting_callback', ?, ?, ?, ?, ?)`,
    )
    .run(
      input.id,
      input.providerId,
      input.projectId ?? null,
      input.label ?? null,
      input.createdAt,
      input.expiresAt,
      input.createdAt,
      input.idempotencyKey ?? null,
      requestHash,
    );
}

/** A page of delivery headers, newest first (the `seq` order), through the status index when filtered. */
export function listDeliveries(sql: StatementCache, query: ListDeliveriesQuery): DeliveryPage {
  const limit = pageLimit(query.limit, DEFAULT_DELIVERY_PAGE_SIZE);
  const statuses =
    query.status === undefined ? [] : typeof query.status === 'string' ? [query.status] : [...query.status];
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (statuses.length > 0) {
    where.push(`status IN (${placeholders(statuses.length)})`);
    params.push(...statuses);
  }
  if (query.cursor !== undefined) {
    const [seq] = decodeCursor(query.cursor, ['number'] as const);
    where.push('seq < ?');
    params.push(seq);
  }
  const rows = sql
    .get(
      `SELECT seq, ${HEADER_COLUMNS} FROM deliveries ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY seq DESC LIMIT ?`,
    )
    .all(...params, limit + 1) as (DeliveryHeaderRow & { seq: number })[];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const items: DeliveryHeader[] = page.map(toDeliveryHeader);
  return {
    items,
    ...(rows.length > limit && last !== undefined ? { nextCursor: encodeCursor([last.seq]) } : {}),
  };
}

/** A page of open deliveries, oldest first (`seq` order), through the status index. */
export function listOpenDeliveries(sql: StatementCache, query: ListOpenQuery): DeliveryPage {
  const limit = pageLimit(query.limit, DEFAULT_DELIVERY_PAGE_SIZE);
  const after = query.cursor === undefined ? 0 : decodeCursor(query.cursor, ['number'] as const)[0];
  const rows = sql
    .get(
      `SELECT seq, ${HEADER_COLUMNS} FROM deliveries
       WHERE status IN (${placeholders(OPEN_STATUSES.length)}) AND seq > ? ORDER BY seq LIMIT ?`,
    )
    .all(...OPEN_STATUSES, after, limit + 1) as (DeliveryHeaderRow & { seq: number })[];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toDeliveryHeader),
    ...(rows.length > limit && last !== undefined ? { nextCursor: encodeCursor([last.seq]) } : {}),
  };
}
