/**
 * The key scheme of the delivery table: attribute names the table must define and the key of
 * every item. The CDK construct builds its table from {@link TABLE_SCHEMA}
 * (`@downloader/service/dynamodb-keys`), so the store and the deployed table cannot disagree.
 *
 * | item | pk | sk |
 * |---|---|---|
 * | delivery (header, counts, token, receipt) | `D#<id>` | `META` |
 * | file | `D#<id>` | `F#<index, 7 digits>` |
 * | callback body, part n | `D#<id>` | `CB#<sha256(dedupeKey)>#<n, 3 digits>` |
 * | idempotency claim | `IDEM#<key>` | `IDEM` |
 * | dedupe record | `DEDUPE#<key>` | `DEDUPE` |
 *
 * Deliveries are also in the `byCreatedAt` index (`gsi1pk = DELIVERY`, `gsi1sk = createdAt#id`),
 * and, while not terminal, in the sparse `openByCreatedAt` index (`openPk = OPEN`, same sort key,
 * keys only): a terminal transition removes `openPk`, so the index holds the working set, not the
 * history, and changes of other attributes (every file event stamps `updatedAt`) never write to it.
 */

/** Attribute and index names of the table. */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  listIndex: 'byCreatedAt',
  listIndexPartitionKey: 'gsi1pk',
  listIndexSortKey: 'gsi1sk',
  openIndex: 'openByCreatedAt',
  openIndexPartitionKey: 'openPk',
  openIndexSortKey: 'gsi1sk',
  ttlAttribute: 'ttl',
} as const;

/** Sort key of a delivery's main item. */
export const META = 'META';
/** Partition of every delivery in the list index (newest first by `createdAt#id`). */
export const LIST_PARTITION = 'DELIVERY';
/** Partition of the open (not terminal) deliveries in the open index. */
export const OPEN_PARTITION = 'OPEN';
/** Sort key of the idempotency claim item. */
export const IDEMPOTENCY_SK = 'IDEM';
/** Sort key of the dedupe item. */
export const DEDUPE_SK = 'DEDUPE';

/** Digits of a file index in its sort key: room for 10 million files. */
const INDEX_DIGITS = 7;

export const deliveryPk = (id: string): string => `D#${id}`;
/** Zero-padded so that files sort by index. */
export const fileSk = (index: number): string => `F#${String(index).padStart(INDEX_DIGITS, '0')}`;
/** Above every file's sort key and below the callback body's (`CB#…` sorts before `F#`, `META` after). */
export const LAST_FILE_SK = `F#${'9'.repeat(INDEX_DIGITS)}`;
export const idempotencyPk = (key: string): string => `IDEM#${key}`;
export const dedupePk = (key: string): string => `DEDUPE#${key}`;
/** Sort key of one part of a stored callback body; the dedupe key is hashed so that any length fits. */
export const callbackPartSk = (dedupeKeyHash: string, part: number): string =>
  `CB#${dedupeKeyHash}#${String(part).padStart(3, '0')}`;
/** The sort key of the list index entry of a delivery. */
export const listSk = (createdAt: string, id: string): string => `${createdAt}#${id}`;
