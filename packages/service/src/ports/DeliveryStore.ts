/**
 * Port: durable state of deliveries, their files, callbacks and task tokens.
 *
 * Shape (the same in every adapter): one delivery record holds the header and the
 * {@link DeliveryCounts}; each file is a record of its own; the accepted callback's body (which
 * may carry an inline list of any length) is kept apart and read only by {@link
 * DeliveryStore.getCallback}. No method reads or rewrites anything whose size grows with the file
 * count except those that say so (writing a list, paging through one).
 *
 * Costs below: "N" is the delivery's file count, "page" a page of at most `limit` records.
 */

import type { NormalisedCallback } from '../domain/callback.js';
import type { CallbackIdentity, CallbackVerdict } from '../domain/callbackVerdict.js';
import type {
  DeliveryHeader,
  DeliveryStatus,
  ErrorInfo,
  FilePage,
  FileRecord,
  FileStatus,
} from '../domain/delivery.js';
import type { FilePatch, FileUpdate } from '../domain/filePatch.js';
import type { FileSpec } from '../domain/fileSpec.js';

export type { CallbackVerdict } from '../domain/callbackVerdict.js';
export type { DeliveryHeader, FilePage } from '../domain/delivery.js';
export type { FilePatch, FileUpdate } from '../domain/filePatch.js';

/** What registration stores. */
export interface NewDelivery {
  readonly id: string;
  readonly providerId: string;
  readonly projectId?: string;
  readonly label?: string;
  /** ISO-8601. */
  readonly createdAt: string;
  /** ISO-8601 callback deadline. */
  readonly expiresAt: string;
  /** Files known at registration (optional; a callback may still bring the list). */
  readonly files?: readonly FileSpec[];
  /**
   * Client's `Idempotency-Key`. A second `create` with the same key returns the first delivery
   * (`created: false`) instead of making a new one.
   */
  readonly idempotencyKey?: string;
}

/** Outcome of {@link DeliveryStore.create}. */
export interface CreateResult {
  readonly delivery: DeliveryHeader;
  /** False when the idempotency key (or id) already existed: `delivery` is the earlier one. */
  readonly created: boolean;
}

/** A page of {@link DeliveryStore.list}. */
export interface DeliveryPage {
  readonly items: readonly DeliveryHeader[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

/** Query of {@link DeliveryStore.list}. Newest first. */
export interface ListDeliveriesQuery {
  /** Only these statuses (any when absent or empty). */
  readonly status?: DeliveryStatus | readonly DeliveryStatus[];
  /** Page size, 1..1000. @default 50 */
  readonly limit?: number;
  /** From a previous page's `nextCursor`. */
  readonly cursor?: string;
}

/** Query of {@link DeliveryStore.listOpen}. Oldest first. */
export interface ListOpenQuery {
  /** Page size, 1..1000. @default 50 */
  readonly limit?: number;
  /** From a previous page's `nextCursor`. */
  readonly cursor?: string;
}

/** Query of {@link DeliveryStore.listFiles}. In index order. */
export interface ListFilesQuery {
  /** Only files in these statuses (any when absent or empty). */
  readonly status?: FileStatus | readonly FileStatus[];
  /** From a previous page's `nextCursor`. */
  readonly cursor?: string;
  /** The first index to consider (with a cursor too: the page starts at the later of the two). @default 0 */
  readonly fromIndex?: number;
  /** Page size, 1..1000. @default 100 */
  readonly limit?: number;
}

/** A callback to record (already verified and normalised by the HTTP layer). */
export interface IncomingCallback extends CallbackIdentity {
  readonly callback: NormalisedCallback;
}

/** Outcome of {@link DeliveryStore.recordCallback}. */
export interface RecordCallbackResult {
  /** Never `expired`: the store does not judge deadlines (the caller does, with `now`). */
  readonly verdict: Exclude<CallbackVerdict, 'expired'>;
  /** The delivery after the call (absent for `not_found`). */
  readonly delivery?: DeliveryHeader;
}

/** Outcome of {@link DeliveryStore.getDeliveryFile}. */
export interface DeliveryFile {
  readonly delivery: DeliveryHeader;
  /** Undefined when the delivery has no file at that index. */
  readonly file: FileRecord | undefined;
}

/** Options of {@link DeliveryStore.transition}. */
export interface TransitionOptions {
  readonly error?: ErrorInfo;
}

/**
 * Durable delivery state. Every method is atomic on its own (DynamoDB: see its adapter for the
 * order of its writes); implementations are SQLite (local) and DynamoDB (AWS). One contract suite
 * (`describeDeliveryStore`) runs against each.
 */
export interface DeliveryStore {
  /**
   * Stores a new delivery in `awaiting_callback`, with its files when given; idempotent by
   * `idempotencyKey` and by id.
   * Cost: O(1) without files; with files O(N) writes in batches (SQLite one transaction,
   * DynamoDB BatchWriteItem of 25).
   * @throws IdempotencyConflictError when the key came with a different request
   */
  create(input: NewDelivery): Promise<CreateResult>;
  /** The delivery's header and counts. Cost: one point read; no file is read. */
  get(id: string): Promise<DeliveryHeader | undefined>;
  /**
   * A page of deliveries, newest first, without files.
   * Cost: one page of delivery records (DynamoDB: a status filter may read more records than it
   * returns).
   * @throws ServiceError `INVALID_CURSOR` for a cursor this store did not hand out
   */
  list(query?: ListDeliveriesQuery): Promise<DeliveryPage>;
  /**
   * A page of the deliveries that are not terminal, oldest first, without files: what a
   * reconciler walks. Cost: one page of open deliveries, never the terminal ones (DynamoDB: a
   * sparse keys-only index, then one point read per delivery of the page).
   * @throws ServiceError `INVALID_CURSOR` for a cursor this store did not hand out
   */
  listOpen(query?: ListOpenQuery): Promise<DeliveryPage>;
  /**
   * Moves the delivery to `to` only if its status is one of `from`. Cost: one conditional write.
   * @returns true when it moved; false when the delivery is missing or in another status
   */
  transition(
    id: string,
    from: readonly DeliveryStatus[],
    to: DeliveryStatus,
    options?: TransitionOptions,
  ): Promise<boolean>;
  /** Stores the task token of the execution waiting for this delivery's callback (replaces any). O(1). */
  putTaskToken(id: string, token: string): Promise<void>;
  /** O(1). */
  getTaskToken(id: string): Promise<string | undefined>;
  /** O(1). */
  deleteTaskToken(id: string): Promise<void>;
  /**
   * Classifies (by `judgeCallback`) and, when new, stores a callback in one atomic step, moving
   * the delivery `awaiting_callback` → `resolving`. Cost: O(1) records plus writing the callback
   * body once (its size is the request's).
   * @throws ServiceError `FILE_LIST_TOO_LARGE` when the body cannot be stored (nothing changed)
   */
  recordCallback(id: string, incoming: IncomingCallback): Promise<RecordCallbackResult>;
  /**
   * The normalised callback accepted for the delivery, if any. Cost: reads the stored body (the
   * size of the request): only ResolveFiles calls it, once per delivery.
   */
  getCallback(id: string): Promise<NormalisedCallback | undefined>;
  /**
   * Sets the delivery's file list once, with its counts: when it already has files, nothing
   * changes (a task run twice after a crash must not reset progress). Cost: O(N) writes in batches.
   * @returns true when the list was stored by this call
   */
  setFiles(id: string, files: readonly FileSpec[]): Promise<boolean>;
  /**
   * A page of the delivery's files in index order. Cost: one page of file records (DynamoDB: with
   * a status filter, a bounded number of reads; the page may then be shorter than `limit` and
   * still carry a `nextCursor`: loop until it is absent). An unknown delivery gives an empty page.
   * @throws ServiceError `INVALID_CURSOR` for a cursor this store did not hand out
   */
  listFiles(id: string, query?: ListFilesQuery): Promise<FilePage>;
  /** One file by its index. Cost: one point read. */
  getFile(id: string, index: number): Promise<FileRecord | undefined>;
  /**
   * The delivery (header and counts) and one of its files, in one consistent read of just those
   * two records: what a per-file task needs.
   * @returns undefined when the delivery does not exist
   */
  getDeliveryFile(id: string, index: number): Promise<DeliveryFile | undefined>;
  /**
   * Indices of files in one of `statuses`, ascending, starting at `fromIndex`, at most `limit`.
   * Cost: O(limit) records read (DynamoDB: plus the records skipped by the status filter).
   */
  listFileIndices(
    id: string,
    query: { readonly statuses: readonly FileStatus[]; readonly fromIndex: number; readonly limit: number },
  ): Promise<number[]>;
  /**
   * Applies a batch of file changes in order (an `addAttempt` counts an attempt as
   * {@link startFileAttempt} does) and moves the counts by their sum: SQLite one transaction;
   * DynamoDB one update per file, a few in flight, then one update of the delivery record.
   * Files that do not exist are skipped. Cost: O(updates) file records plus O(1) for the delivery.
   */
  updateFiles(id: string, updates: readonly FileUpdate[]): Promise<void>;
  /**
   * Changes a file record and, in the same step, the delivery's counts and `updatedAt`. Cost: the
   * file record plus one O(1) update of the delivery record. A missing file changes nothing.
   */
  updateFile(id: string, index: number, patch: FilePatch): Promise<void>;
  /**
   * Adds one attempt to a file and marks it `downloading` (counts follow); with `route`, records
   * the download path in the same write. Cost as {@link updateFile}.
   * @returns the new attempt count
   * @throws ServiceError `DELIVERY_NOT_FOUND` when the delivery has no such file
   */
  startFileAttempt(id: string, index: number, route?: 'small' | 'large'): Promise<number>;
  /** Releases resources (closes the database). */
  close(): Promise<void>;
}
