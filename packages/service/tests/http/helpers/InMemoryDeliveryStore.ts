/**
 * An in-memory DeliveryStore for routing tests. It passes the same contract suite as the SQLite
 * and DynamoDB stores (`describeDeliveryStore`) and uses the same domain rules.
 */
import type { NormalisedCallback } from '../../../src/domain/callback.js';
import { judgeCallback, receiptOf } from '../../../src/domain/callbackVerdict.js';
import {
  type DeliveryHeader,
  type DeliveryStatus,
  type FilePage,
  type FileRecord,
  type FileStatus,
  isTerminalStatus,
} from '../../../src/domain/delivery.js';
import { ServiceError } from '../../../src/domain/errors.js';
import {
  applyCountsDelta,
  countsDelta,
  countsOfNewFiles,
  EMPTY_COUNTS,
} from '../../../src/domain/fileCounts.js';
import {
  applyFilePatch,
  type FilePatch,
  type FileUpdate,
  newFileRecord,
  patchOfUpdate,
} from '../../../src/domain/filePatch.js';
import type { FileSpec } from '../../../src/domain/fileSpec.js';
import {
  DEFAULT_DELIVERY_PAGE_SIZE,
  DEFAULT_FILE_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  fileCursor,
  pageLimit,
  startAfter,
} from '../../../src/domain/paging.js';
import { assertSameRegistration, registrationHash } from '../../../src/domain/registrationHash.js';
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
} from '../../../src/ports/DeliveryStore.js';

interface Entry {
  header: DeliveryHeader;
  readonly seq: number;
  readonly requestHash: string;
  files: FileRecord[];
  callback?: NormalisedCallback;
  token?: string;
}

const asList = <T extends string>(value: T | readonly T[] | undefined): readonly T[] =>
  value === undefined ? [] : typeof value === 'string' ? [value as T] : (value as readonly T[]);

/** Keeps deliveries in Maps; every method behaves as the port documents. */
export class InMemoryDeliveryStore implements DeliveryStore {
  readonly #entries = new Map<string, Entry>();
  readonly #byKey = new Map<string, string>();
  readonly #dedupe = new Map<string, string>();
  readonly #now: () => Date;
  #seq = 0;

  constructor(options: { readonly now?: () => Date } = {}) {
    this.#now = options.now ?? (() => new Date());
  }

  async create(input: NewDelivery): Promise<CreateResult> {
    const hash = registrationHash(input);
    const earlierId =
      input.idempotencyKey === undefined ? input.id : (this.#byKey.get(input.idempotencyKey) ?? input.id);
    const earlier = this.#entries.get(earlierId);
    if (earlier !== undefined) {
      assertSameRegistration(input.idempotencyKey, earlier.requestHash, hash);
      return { delivery: earlier.header, created: false };
    }
    const files = input.files ?? [];
    this.#seq += 1;
    const entry: Entry = {
      seq: this.#seq,
      requestHash: hash,
      files: files.map(newFileRecord),
      header: {
        id: input.id,
        providerId: input.providerId,
        ...(input.projectId === undefined ? {} : { projectId: input.projectId }),
        ...(input.label === undefined ? {} : { label: input.label }),
        status: 'awaiting_callback',
        createdAt: input.createdAt,
        expiresAt: input.expiresAt,
        updatedAt: input.createdAt,
        counts: files.length > 0 ? countsOfNewFiles(files) : EMPTY_COUNTS,
      },
    };
    this.#entries.set(input.id, entry);
    if (input.idempotencyKey !== undefined) this.#byKey.set(input.idempotencyKey, input.id);
    return { delivery: entry.header, created: true };
  }

  async get(id: string): Promise<DeliveryHeader | undefined> {
    return this.#entries.get(id)?.header;
  }

  async list(query: ListDeliveriesQuery = {}): Promise<DeliveryPage> {
    const statuses = asList(query.status);
    const limit = pageLimit(query.limit, DEFAULT_DELIVERY_PAGE_SIZE);
    const before =
      query.cursor === undefined
        ? Number.POSITIVE_INFINITY
        : decodeCursor(query.cursor, ['number'] as const)[0];
    const matching = [...this.#entries.values()]
      .filter(
        (entry) => entry.seq < before && (statuses.length === 0 || statuses.includes(entry.header.status)),
      )
      .sort((a, b) => b.seq - a.seq);
    const page = matching.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((entry) => entry.header),
      ...(matching.length > limit && last !== undefined ? { nextCursor: encodeCursor([last.seq]) } : {}),
    };
  }

  async listOpen(query: ListOpenQuery = {}): Promise<DeliveryPage> {
    const limit = pageLimit(query.limit, DEFAULT_DELIVERY_PAGE_SIZE);
    const after = query.cursor === undefined ? 0 : decodeCursor(query.cursor, ['number'] as const)[0];
    const open = [...this.#entries.values()]
      .filter((entry) => entry.seq > after && !isTerminalStatus(entry.header.status))
      .sort((a, b) => a.seq - b.seq);
    const page = open.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((entry) => entry.header),
      ...(open.length > limit && last !== undefined ? { nextCursor: encodeCursor([last.seq]) } : {}),
    };
  }

  async transition(
    id: string,
    from: readonly DeliveryStatus[],
    to: DeliveryStatus,
    options: TransitionOptions = {},
  ): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (entry === undefined || !from.includes(entry.header.status)) return false;
    this.#touch(entry, { status: to, ...(options.error === undefined ? {} : { error: options.error }) });
    return true;
  }

  async putTaskToken(id: string, token: string): Promise<void> {
    const entry = this.#entries.get(id);
    if (entry !== undefined) entry.token = token;
  }

  async getTaskToken(id: string): Promise<string | undefined> {
    return this.#entries.get(id)?.token;
  }

  async deleteTaskToken(id: string): Promise<void> {
    const entry = this.#entries.get(id);
    if (entry !== undefined) delete entry.token;
  }

  async recordCallback(id: string, incoming: IncomingCallback): Promise<RecordCallbackResult> {
    const entry = this.#entries.get(id);
    const body = this.#dedupe.get(incoming.dedupeKey);
    const verdict = judgeCallback({
      delivery: entry?.header,
      stored: body === undefined ? undefined : { bodySha256: body },
      incoming,
    });
    if (entry === undefined) return { verdict: 'not_found' };
    if (verdict !== 'new')
      return { verdict: verdict === 'expired' ? 'closed' : verdict, delivery: entry.header };
    const receipt = receiptOf(incoming);
    this.#dedupe.set(receipt.dedupeKey, receipt.bodySha256);
    entry.callback = incoming.callback;
    this.#touch(entry, { status: 'resolving', callback: receipt });
    return { verdict: 'new', delivery: entry.header };
  }

  async getCallback(id: string): Promise<NormalisedCallback | undefined> {
    return this.#entries.get(id)?.callback;
  }

  async setFiles(id: string, files: readonly FileSpec[]): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (entry === undefined || entry.files.length > 0) return false;
    entry.files = files.map(newFileRecord);
    this.#touch(entry, { counts: countsOfNewFiles(files) });
    return true;
  }

  async listFiles(id: string, query: ListFilesQuery = {}): Promise<FilePage> {
    const statuses = asList<FileStatus>(query.status);
    const limit = pageLimit(query.limit, DEFAULT_FILE_PAGE_SIZE);
    const after = startAfter(query);
    const matching = (this.#entries.get(id)?.files ?? []).filter(
      (file) => file.index > after && (statuses.length === 0 || statuses.includes(file.status)),
    );
    const items = matching.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      ...(matching.length > limit && last !== undefined ? { nextCursor: fileCursor(last.index) } : {}),
    };
  }

  async getFile(id: string, index: number): Promise<FileRecord | undefined> {
    return this.#entries.get(id)?.files[index];
  }

  async getDeliveryFile(id: string, index: number): Promise<DeliveryFile | undefined> {
    const entry = this.#entries.get(id);
    return entry === undefined ? undefined : { delivery: entry.header, file: entry.files[index] };
  }

  async listFileIndices(
    id: string,
    query: { readonly statuses: readonly FileStatus[]; readonly fromIndex: number; readonly limit: number },
  ): Promise<number[]> {
    if (query.limit < 1) return [];
    return (this.#entries.get(id)?.files ?? [])
      .filter((file) => file.index >= query.fromIndex && query.statuses.includes(file.status))
      .slice(0, query.limit)
      .map((file) => file.index);
  }

  async updateFiles(id: string, updates: readonly FileUpdate[]): Promise<void> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    for (const update of updates) {
      const before = entry.files[update.index];
      if (before === undefined) continue;
      const patched = applyFilePatch(before, patchOfUpdate(update));
      this.#replaceFile(
        entry,
        before,
        update.addAttempt === true ? { ...patched, attempts: before.attempts + 1 } : patched,
      );
    }
  }

  async updateFile(id: string, index: number, patch: FilePatch): Promise<void> {
    const entry = this.#entries.get(id);
    const before = entry?.files[index];
    if (entry === undefined || before === undefined) return;
    this.#replaceFile(entry, before, applyFilePatch(before, patch));
  }

  async startFileAttempt(id: string, index: number, route?: 'small' | 'large'): Promise<number> {
    const entry = this.#entries.get(id);
    const before = entry?.files[index];
    if (entry === undefined || before === undefined) {
      throw new ServiceError('DELIVERY_NOT_FOUND', `Delivery "${id}" has no file #${index}.`);
    }
    const after: FileRecord = {
      ...before,
      attempts: before.attempts + 1,
      status: 'downloading',
      ...(route === undefined ? {} : { route }),
    };
    this.#replaceFile(entry, before, after);
    return after.attempts;
  }

  async close(): Promise<void> {}

  #replaceFile(entry: Entry, before: FileRecord, after: FileRecord): void {
    entry.files[before.index] = after;
    this.#touch(entry, { counts: applyCountsDelta(entry.header.counts, countsDelta(before, after)) });
  }

  #touch(entry: Entry, change: Partial<DeliveryHeader>): void {
    entry.header = { ...entry.header, ...change, updatedAt: this.#now().toISOString() };
  }
}
