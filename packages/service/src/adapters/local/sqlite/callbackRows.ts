/** Accepted callbacks in the SQLite store: the dedupe record, the receipt on the delivery row, the body apart. */
import type { NormalisedCallback } from '../../../domain/callback.js';
import { judgeCallback, receiptOf } from '../../../domain/callbackVerdict.js';
import type { DeliveryHeader } from '../../../domain/delivery.js';
import type { IncomingCallback, RecordCallbackResult } from '../../../ports/DeliveryStore.js';
import type { StatementCache } from './StatementCache.js';

/**
 * Judges the callback by the shared rule and, when new, stores it; the caller holds the
 * transaction, so the judgement and the writes are one atomic step.
 */
export function recordCallback(
  sql: StatementCache,
  header: (id: string) => DeliveryHeader | undefined,
  id: string,
  incoming: IncomingCallback,
  stamp: string,
): RecordCallbackResult {
  const delivery = header(id);
  const stored = sql
    .get('SELECT body_sha256 AS bodySha256 FROM callback_dedupe WHERE dedupe_key = ?')
    .get(incoming.dedupeKey) as { bodySha256: string } | undefined;
  const verdict = judgeCallback({ delivery, stored, incoming });
  if (delivery === undefined) return { verdict: 'not_found' };
  if (verdict !== 'new') return { verdict: verdict === 'expired' ? 'closed' : verdict, delivery };
  const receipt = receiptOf(incoming);
  sql
    .get(
      'INSERT INTO callback_dedupe (dedupe_key, body_sha256, delivery_id, received_at) VALUES (?, ?, ?, ?)',
    )
    .run(receipt.dedupeKey, receipt.bodySha256, id, receipt.receivedAt);
  sql
    .get('INSERT OR REPLACE INTO callbacks (delivery_id, body_json) VALUES (?, ?)')
    .run(id, JSON.stringify(incoming.callback));
  sql
    .get(`UPDATE deliveries SET status = 'resolving', updated_at = ?, callback_receipt_json = ? WHERE id = ?`)
    .run(stamp, JSON.stringify(receipt), id);
  const updated = header(id);
  return { verdict: 'new', ...(updated === undefined ? {} : { delivery: updated }) };
}

/** The stored body of the delivery's accepted callback (the only read of it). */
export function getCallback(sql: StatementCache, id: string): NormalisedCallback | undefined {
  const row = sql.get('SELECT body_json FROM callbacks WHERE delivery_id = ?').get(id) as
    | { body_json: string }
    | undefined;
  return row === undefined ? undefined : (JSON.parse(row.body_json) as NormalisedCallback);
}
