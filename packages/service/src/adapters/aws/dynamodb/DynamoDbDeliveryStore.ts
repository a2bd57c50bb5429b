/** The AWS delivery store: one DynamoDB table (see `items.ts` for the layout). */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { NormalisedCallback } from '../../../domain/callback.js';
import type { Delivery, DeliveryStatus, FileRecord, FileStatus } from '../../../domain/delivery.js';
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
import {
  type DeliveryItem,
  dedupePk,
  deliveryPk,
  type FileItem,
  fileSk,
  idempotencyPk,
  KEYS,
  LIST_PARTITION,
  META,
  toDelivery,
  toFileRecord,
} from './items.js';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 1000;
/** DynamoDB's BatchWriteItem limit. */
const BATCH_WRITE_MAX = 25;
/** Idempotency and dedupe records outlive the delivery's callback deadline by this much. */
const RECORD_RETENTION_SECONDS = 30 * 86_400;
const LAST_FILE_SK = 'F#9999999';
/** DynamoDB items hold 400 KB; keep room for the keys and attribute names. */
const MAX_CALLBACK_BYTES = 380 * 1024;

/** Sort key of a callback body: a hash, so any dedupe key length fits. */
function callbackSk(dedupeKey: string): string {
  return `CB#${createHash('sha256').update(dedupeKey).digest('hex')}`;
}

/** Options of {@link DynamoDbDeliveryStore}. */
export interface DynamoDbDeliveryStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as { name?: unknown })?.name === 'ConditionalCheckFailedException'
  );
}

function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

function encodeCursor(item: { gsi1sk: string; id: string }): string {
  return Buffer.from(JSON.stringify([item.gsi1sk, item.id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { gsi1sk: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) {
      return { gsi1sk: value[0] as string, id: value[1] as string };
    }
  } catch {
    // fall through to the typed error
  }
  throw new ServiceError('INVALID_CURSOR', 'The paging cursor is not valid; start again without a cursor.');
}

/** `IN (:p0, :p1, …)` placeholders and their values. */
function inList(
  prefix: string,
  values: readonly string[],
): { expression: string; values: Record<string, string> } {
  const names = values.map((_, index) => `:${prefix}${index}`);
  return {
    expression: `(${names.join(', ')})`,
    values: Object.fromEntries(values.map((value, index) => [names[index] as string, value])),
  };
}

/**
 * {@link DeliveryStore} on DynamoDB. Without transactions (dynalite and cost), every method is
 * one conditional write or ordered so that a crash between two writes leaves a state the next
 * call repairs: file items are written before the count that publishes them; an accepted
 * callback is recorded on the delivery before its dedupe record.
 */
export class DynamoDbDeliveryStore implements DeliveryStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #now: () => Date;

  constructor(options: DynamoDbDeliveryStoreOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#now = options.now ?? (() => new Date());
  }

  async create(input: NewDelivery): Promise<CreateResult> {
    const hash = registrationHash(input);
    let id = input.id;
    const ttl = epochSeconds(input.expiresAt) + RECORD_RETENTION_SECONDS;
    if (input.idempotencyKey !== undefined) {
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#table,
            Item: {
              pk: idempotencyPk(input.idempotencyKey),
              sk: 'IDEM',
              deliveryId: id,
              requestHash: hash,
              ttl,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const claim = await this.#getItem<{ deliveryId: string; requestHash: string }>(
          idempotencyPk(input.idempotencyKey),
          'IDEM',
        );
        if (claim === undefined) throw error;
        if (claim.requestHash !== hash) throw new IdempotencyConflictError(input.idempotencyKey);
        const earlier = await this.get(claim.deliveryId);
        if (earlier !== undefined) return { delivery: earlier, created: false };
        // The first request stopped after claiming the key: finish it under the claimed id.
        id = claim.deliveryId;
      }
    }
    const existing = await this.get(id);
    if (existing !== undefined) return { delivery: existing, created: false };
    const files = input.files ?? [];
    if (files.length > 0) await this.#putFiles(id, files);
    const item: DeliveryItem = {
      pk: deliveryPk(id),
      sk: META,
      gsi1pk: LIST_PARTITION,
      gsi1sk: `${input.createdAt}#${id}`,
      id,
      providerId: input.providerId,
      ...(input.projectId === undefined ? {} : { projectId: input.projectId }),
      ...(input.label === undefined ? {} : { label: input.label }),
      status: 'awaiting_callback',
      createdAt: input.createdAt,
      expiresAt: input.expiresAt,
      updatedAt: input.createdAt,
      requestHash: hash,
      ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
      ...(files.length > 0 ? { fileCount: files.length } : {}),
    };
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const raced = await this.get(id);
      if (raced === undefined) throw error;
      return { delivery: raced, created: false };
    }
    return {
      delivery: toDelivery(
        item,
        files.map((file, index) => toFileRecord(this.#fileItem(id, index, file))),
      ),
      created: true,
    };
  }

  async get(id: string): Promise<Delivery | undefined> {
    const items = await this.#queryAll({
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': deliveryPk(id) },
      ConsistentRead: true,
    });
    const meta = items.find((item) => item.sk === META) as DeliveryItem | undefined;
    if (meta === undefined) return undefined;
    const files = items
      .filter((item) => typeof item.sk === 'string' && item.sk.startsWith('F#'))
      .map((item) => toFileRecord(item as unknown as FileItem));
    return toDelivery(meta, files);
  }

  async getHeader(id: string): Promise<DeliveryHeader | undefined> {
    // One strongly consistent point read of the meta item, never the file items.
    const meta = await this.#getItem<DeliveryItem>(deliveryPk(id), META);
    if (meta === undefined) return undefined;
    const { files: _files, ...delivery } = toDelivery(meta, []);
    return delivery;
  }

  async list(query: ListDeliveriesQuery = {}): Promise<DeliveryPage> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
    const statuses =
      query.status === undefined ? [] : typeof query.status === 'string' ? [query.status] : [...query.status];
    const filter = statuses.length > 0 ? inList('s', statuses) : undefined;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const found: DeliveryItem[] = [];
    let startKey: Record<string, unknown> | undefined =
      after === undefined
        ? undefined
        : { pk: deliveryPk(after.id), sk: META, gsi1pk: LIST_PARTITION, gsi1sk: after.gsi1sk };
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: KEYS.listIndex,
          KeyConditionExpression: 'gsi1pk = :list',
          ScanIndexForward: false,
          ...(filter === undefined
            ? { ExpressionAttributeValues: { ':list': LIST_PARTITION } }
            : {
                FilterExpression: `#status IN ${filter.expression}`,
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':list': LIST_PARTITION, ...filter.values },
              }),
          Limit: limit + 1,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      found.push(...((page.Items ?? []) as DeliveryItem[]));
      startKey = page.LastEvaluatedKey;
    } while (found.length <= limit && startKey !== undefined);
    const items = found.slice(0, limit);
    const deliveries = await Promise.all(
      items.map(async (item) =>
        query.withoutFiles === true
          ? toDelivery(item, [])
          : ((await this.get(item.id)) ?? toDelivery(item, [])),
      ),
    );
    const last = items.at(-1);
    return {
      items: deliveries,
      ...(found.length > limit && last !== undefined ? { nextCursor: encodeCursor(last) } : {}),
    };
  }

  async transition(
    id: string,
    from: readonly DeliveryStatus[],
    to: DeliveryStatus,
    options: TransitionOptions = {},
  ): Promise<boolean> {
    if (from.length === 0) return false;
    const allowed = inList('from', from);
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: deliveryPk(id), sk: META },
          UpdateExpression: `SET #status = :to, updatedAt = :now${options.error === undefined ? '' : ', #error = :error'}`,
          ConditionExpression: `attribute_exists(pk) AND #status IN ${allowed.expression}`,
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(options.error === undefined ? {} : { '#error': 'error' }),
          },
          ExpressionAttributeValues: {
            ':to': to,
            ':now': this.#stamp(),
            ...allowed.values,
            ...(options.error === undefined ? {} : { ':error': options.error }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async putTaskToken(id: string, token: string): Promise<void> {
    await this.#updateMetaIfExists(id, 'SET taskToken = :token', { ':token': token });
  }

  async getTaskToken(id: string): Promise<string | undefined> {
    return (await this.#getItem<{ taskToken?: string }>(deliveryPk(id), META))?.taskToken;
  }

  async deleteTaskToken(id: string): Promise<void> {
    await this.#updateMetaIfExists(id, 'REMOVE taskToken', undefined);
  }

  async recordCallback(id: string, incoming: IncomingCallback): Promise<RecordCallbackResult> {
    const body = incoming.bodySha256.toLowerCase();
    const classify = (stored: { bodySha256: string }, delivery: Delivery): RecordCallbackResult => ({
      verdict: stored.bodySha256 === body ? 'duplicate' : 'conflict',
      delivery,
    });
    const delivery = await this.get(id);
    if (delivery === undefined) return { verdict: 'not_found' };
    const dedupe = await this.#getItem<{ bodySha256: string }>(dedupePk(incoming.dedupeKey), 'DEDUPE');
    if (dedupe !== undefined) return classify(dedupe, delivery);
    // Recorded on the delivery but the dedupe record was not written yet (a crash in between).
    if (delivery.callback?.dedupeKey === incoming.dedupeKey) {
      await this.#putDedupe(id, incoming.dedupeKey, delivery.callback.bodySha256, delivery.expiresAt);
      return classify(delivery.callback, delivery);
    }
    if (delivery.status !== 'awaiting_callback') return { verdict: 'closed', delivery };
    const receipt = {
      ...(incoming.eventId === undefined ? {} : { eventId: incoming.eventId }),
      dedupeKey: incoming.dedupeKey,
      bodySha256: body,
      receivedAt: incoming.receivedAt,
    };
    // The normalised callback (an inline list can hold thousands of files) goes into its own
    // item, gzip-compressed, keyed by the dedupe key: written first, it is only ever read through
    // the receipt of the callback that won, so a losing racer's item is never seen.
    await this.#putCallbackBody(id, incoming, delivery.expiresAt);
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: deliveryPk(id), sk: META },
          UpdateExpression: 'SET #status = :resolving, updatedAt = :now, #callback = :receipt',
          ConditionExpression: '#status = :awaiting AND attribute_not_exists(#callback)',
          ExpressionAttributeNames: { '#status': 'status', '#callback': 'callback' },
          ExpressionAttributeValues: {
            ':resolving': 'resolving',
            ':awaiting': 'awaiting_callback',
            ':now': this.#stamp(),
            ':receipt': receipt,
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Another callback won the race (or the deadline passed): classify against the winner.
      return this.recordCallback(id, incoming);
    }
    await this.#putDedupe(id, incoming.dedupeKey, body, delivery.expiresAt);
    const updated = await this.get(id);
    return { verdict: 'new', ...(updated === undefined ? {} : { delivery: updated }) };
  }

  async getCallback(id: string): Promise<NormalisedCallback | undefined> {
    const meta = await this.#getItem<DeliveryItem>(deliveryPk(id), META);
    if (meta?.callback === undefined) return undefined;
    const item = await this.#getItem<{ body: Uint8Array }>(
      deliveryPk(id),
      callbackSk(meta.callback.dedupeKey),
    );
    return item === undefined
      ? undefined
      : (JSON.parse(gunzipSync(item.body).toString('utf8')) as NormalisedCallback);
  }

  async #putCallbackBody(id: string, incoming: IncomingCallback, expiresAt: string): Promise<void> {
    const body = gzipSync(JSON.stringify(incoming.callback));
    if (body.length > MAX_CALLBACK_BYTES) {
      throw new ServiceError(
        'FILE_LIST_TOO_LARGE',
        `The callback's file list takes ${body.length} bytes compressed; at most ${MAX_CALLBACK_BYTES} fit in one ` +
          'record. Ask the provider for a manifest URL instead of an inline list.',
      );
    }
    await this.#client.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          pk: deliveryPk(id),
          sk: callbackSk(incoming.dedupeKey),
          body,
          ttl: epochSeconds(expiresAt) + RECORD_RETENTION_SECONDS,
        },
      }),
    );
  }

  async setFiles(id: string, files: readonly FileSpec[]): Promise<boolean> {
    const meta = await this.#getItem<DeliveryItem>(deliveryPk(id), META);
    if (meta === undefined || meta.fileCount !== undefined) return false;
    await this.#putFiles(id, files);
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: deliveryPk(id), sk: META },
          UpdateExpression: 'SET fileCount = :count, updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(fileCount)',
          ExpressionAttributeValues: { ':count': files.length, ':now': this.#stamp() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getFile(id: string, index: number): Promise<FileRecord | undefined> {
    const item = await this.#getItem<FileItem>(deliveryPk(id), fileSk(index));
    return item === undefined ? undefined : toFileRecord(item);
  }

  async getDeliveryFile(id: string, index: number): Promise<DeliveryFile | undefined> {
    // Two point reads (strongly consistent), never the whole partition.
    const [meta, file] = await Promise.all([
      this.#getItem<DeliveryItem>(deliveryPk(id), META),
      this.#getItem<FileItem>(deliveryPk(id), fileSk(index)),
    ]);
    if (meta === undefined) return undefined;
    const { files: _files, ...delivery } = toDelivery(meta, []);
    return { delivery, file: file === undefined ? undefined : toFileRecord(file) };
  }

  async listFileIndices(
    id: string,
    query: { readonly statuses: readonly FileStatus[]; readonly fromIndex: number; readonly limit: number },
  ): Promise<number[]> {
    if (query.statuses.length === 0 || query.limit < 1) return [];
    const statuses = inList('s', query.statuses);
    const indices: number[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          FilterExpression: `#status IN ${statuses.expression}`,
          ProjectionExpression: '#index',
          ExpressionAttributeNames: { '#status': 'status', '#index': 'index' },
          ExpressionAttributeValues: {
            ':pk': deliveryPk(id),
            ':from': fileSk(Math.max(0, query.fromIndex)),
            ':to': LAST_FILE_SK,
            ...statuses.values,
          },
          ConsistentRead: true,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of page.Items ?? []) indices.push(item.index as number);
      startKey = page.LastEvaluatedKey;
    } while (indices.length < query.limit && startKey !== undefined);
    return indices.slice(0, query.limit);
  }

  async updateFile(id: string, index: number, patch: FilePatch): Promise<void> {
    const sets: string[] = [];
    const removes: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const set = (field: string, value: unknown) => {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.bytes !== undefined) set('bytes', patch.bytes);
    if (patch.size !== undefined) set('size', patch.size);
    if (patch.sha256 !== undefined) set('sha256', patch.sha256);
    if (patch.route !== undefined) set('route', patch.route);
    if (patch.error === null) {
      names['#error'] = 'error';
      removes.push('#error');
    } else if (patch.error !== undefined) {
      set('error', patch.error);
    }
    if (sets.length === 0 && removes.length === 0) return;
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: deliveryPk(id), sk: fileSk(index) },
          UpdateExpression: [
            sets.length > 0 ? `SET ${sets.join(', ')}` : '',
            removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
          ]
            .filter((part) => part !== '')
            .join(' '),
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        }),
      );
    } catch (error) {
      // Same as the SQLite store: an update of a missing file changes nothing.
      if (isConditionFailure(error)) return;
      throw error;
    }
    await this.#updateMetaIfExists(id, 'SET updatedAt = :now', { ':now': this.#stamp() });
  }

  async startFileAttempt(id: string, index: number, route?: 'small' | 'large'): Promise<number> {
    try {
      const result = await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: deliveryPk(id), sk: fileSk(index) },
          UpdateExpression: `SET #status = :downloading${route === undefined ? '' : ', #route = :route'} ADD attempts :one`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(route === undefined ? {} : { '#route': 'route' }),
          },
          ExpressionAttributeValues: {
            ':downloading': 'downloading',
            ':one': 1,
            ...(route === undefined ? {} : { ':route': route }),
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      if (route !== undefined) {
        await this.#updateMetaIfExists(id, 'SET updatedAt = :now', { ':now': this.#stamp() });
      }
      return result.Attributes?.attempts as number;
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ServiceError('DELIVERY_NOT_FOUND', `Delivery "${id}" has no file #${index}.`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    // The client belongs to the caller (a Lambda reuses it across invocations).
  }

  #stamp(): string {
    return this.#now().toISOString();
  }

  async #getItem<T>(pk: string, sk: string): Promise<T | undefined> {
    const result = await this.#client.send(
      new GetCommand({ TableName: this.#table, Key: { pk, sk }, ConsistentRead: true }),
    );
    return result.Item as T | undefined;
  }

  async #queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#client.send(
        new QueryCommand({ ...input, ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }) }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  async #updateMetaIfExists(
    id: string,
    expression: string,
    values: Record<string, unknown> | undefined,
  ): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: deliveryPk(id), sk: META },
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(pk)',
          ...(values === undefined ? {} : { ExpressionAttributeValues: values }),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async #putDedupe(id: string, key: string, bodySha256: string, expiresAt: string): Promise<void> {
    await this.#client.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          pk: dedupePk(key),
          sk: 'DEDUPE',
          bodySha256,
          deliveryId: id,
          ttl: epochSeconds(expiresAt) + RECORD_RETENTION_SECONDS,
        },
      }),
    );
  }

  #fileItem(id: string, index: number, file: FileSpec): FileItem {
    return {
      pk: deliveryPk(id),
      sk: fileSk(index),
      index,
      name: file.name,
      sourceUrl: file.url,
      ...(file.size === undefined ? {} : { size: file.size }),
      ...(file.checksums === undefined ? {} : { expected: file.checksums }),
      bytes: 0,
      attempts: 0,
      status: 'pending',
    };
  }

  async #putFiles(id: string, files: readonly FileSpec[]): Promise<void> {
    for (let start = 0; start < files.length; start += BATCH_WRITE_MAX) {
      let requests = files
        .slice(start, start + BATCH_WRITE_MAX)
        .map((file, offset) => ({ PutRequest: { Item: this.#fileItem(id, start + offset, file) } }));
      // BatchWriteItem may leave items unprocessed under throttling: resend those.
      for (let round = 0; requests.length > 0; round += 1) {
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** round)));
        const result = await this.#client.send(
          new BatchWriteCommand({ RequestItems: { [this.#table]: requests } }),
        );
        requests = (result.UnprocessedItems?.[this.#table] ?? []) as typeof requests;
      }
    }
  }
}
