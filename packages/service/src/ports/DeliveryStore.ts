/** Port: durable state of deliveries, their files, callbacks and task tokens. */
import type { NormalisedCallback } from '../domain/callback.js';
import type { Delivery, DeliveryStatus, ErrorInfo, FileRecord, FileStatus } from '../domain/delivery.js';
import type { FileSpec } from '../domain/fileSpec.js';

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
  readonly delivery: Delivery;
  /** False when the idempotency key (or id) already existed: `delivery` is the earlier one. */
  readonly created: boolean;
}

/** A page of {@link DeliveryStore.list}. */
export interface DeliveryPage {
  readonly items: readonly Delivery[];
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
  /** Leave out the file records (cheaper for overviews). @default false */
  readonly withoutFiles?: boolean;
}

/** A callback to record (already verified and normalised by the HTTP layer). */
export interface IncomingCallback {
  readonly eventId?: string;
  /** callback-core `dedupeKey(...).key`. */
  readonly dedupeKey: string;
  /** Lower-case hex sha256 of the raw body. */
  readonly bodySha256: string;
  /** ISO-8601. */
  readonly receivedAt: string;
  readonly callback: NormalisedCallback;
}

/**
 * How {@link DeliveryStore.recordCallback} classified a callback, decided atomically:
 * - `new`: accepted; stored; the delivery moved `awaiting_callback` → `resolving`;
 * - `duplicate`: same dedupe key and body as an accepted callback: nothing changed;
 * - `conflict`: same dedupe key, different body: nothing changed;
 * - `not_found`: no such delivery;
 * - `closed`: the delivery no longer awaits a callback (another callback was accepted, it
 *   finished, or its deadline passed): nothing changed.
 */
export type CallbackVerdict = 'new' | 'duplicate' | 'conflict' | 'not_found' | 'closed';

/** Outcome of {@link DeliveryStore.recordCallback}. */
export interface RecordCallbackResult {
  readonly verdict: CallbackVerdict;
  /** The delivery after the call (absent for `not_found`). */
  readonly delivery?: Delivery;
}

/** Fields of a file record a task may change. */
export interface FilePatch {
  readonly status?: FileStatus;
  readonly bytes?: number;
  readonly size?: number;
  readonly sha256?: string;
  /** `null` clears a previous error. */
  readonly error?: ErrorInfo | null;
  readonly route?: 'small' | 'large';
}

/** A delivery without its file list. */
export type DeliveryHeader = Omit<Delivery, 'files'>;

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
 * Durable delivery state. Every method is atomic on its own; implementations are the SQLite
 * adapter (local) and DynamoDB (AWS).
 */
export interface DeliveryStore {
  /** Stores a new delivery in `awaiting_callback`; idempotent by `idempotencyKey` and by id. */
  create(input: NewDelivery): Promise<CreateResult>;
  get(id: string): Promise<Delivery | undefined>;
  /** The delivery without its file list: one point read, for hot paths that need only the header. */
  getHeader(id: string): Promise<DeliveryHeader | undefined>;
  list(query?: ListDeliveriesQuery): Promise<DeliveryPage>;
  /**
   * Moves the delivery to `to` only if its status is one of `from`.
   * @returns true when it moved; false when the delivery is missing or in another status
   */
  transition(
    id: string,
    from: readonly DeliveryStatus[],
    to: DeliveryStatus,
    options?: TransitionOptions,
  ): Promise<boolean>;
  /** Stores the task token of the execution waiting for this delivery's callback (replaces any). */
  putTaskToken(id: string, token: string): Promise<void>;
  getTaskToken(id: string): Promise<string | undefined>;
  deleteTaskToken(id: string): Promise<void>;
  /** Classifies and (when new) stores a callback in one atomic step; see {@link CallbackVerdict}. */
  recordCallback(id: string, incoming: IncomingCallback): Promise<RecordCallbackResult>;
  /** The normalised callback accepted for the delivery, if any. */
  getCallback(id: string): Promise<NormalisedCallback | undefined>;
  /**
   * Sets the delivery's file list once: when it already has files, nothing changes (a task run
   * twice after a crash must not reset progress).
   * @returns true when the list was stored by this call
   */
  setFiles(id: string, files: readonly FileSpec[]): Promise<boolean>;
  /** One file by its index. */
  getFile(id: string, index: number): Promise<FileRecord | undefined>;
  /**
   * The delivery (without its file list) and one of its files, in one consistent read of just
   * those records: what a per-file task needs, at a cost that does not grow with the list.
   * @returns undefined when the delivery does not exist
   */
  getDeliveryFile(id: string, index: number): Promise<DeliveryFile | undefined>;
  /** Indices of files in one of `statuses`, ascending, starting at `fromIndex`, at most `limit`. */
  listFileIndices(
    id: string,
    query: { readonly statuses: readonly FileStatus[]; readonly fromIndex: number; readonly limit: number },
  ): Promise<number[]>;
  /** Changes a file record. */
  updateFile(id: string, index: number, patch: FilePatch): Promise<void>;
  /**
   * Adds one attempt to a file and marks it `downloading`; with `route`, records the download
   * path in the same write (and touches the delivery's `updatedAt`, as {@link updateFile} does).
   * Returns the new attempt count.
   */
  startFileAttempt(id: string, index: number, route?: 'small' | 'large'): Promise<number>;
  /** Releases resources (closes the database). */
  close(): Promise<void>;
}
