/** The AWS delivery store: one DynamoDB table (keys: `tableKeys.ts`; items: `items.ts`). */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NormalisedCallback } from '../../../domain/callback.js';
import {
  type DeliveryHeader,
  type DeliveryStatus,
  type FilePage,
  type FileRecord,
  type FileStatus,
  isTerminalStatus,
} from '../../../domain/delivery.js';
import { ServiceError } from '../../../domain/errors.js';
import { countsOfNewFiles } from '../../../domain/fileCounts.js';
import type { FilePatch, FileUpdate } from '../../../domain/filePatch.js';
import type { FileSpec } from '../../../domain/fileSpec.js';
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
import { DEFAULT_MAX_CALLBACK_BYTES, getCallbackBody } from './callbackBody.js';
import { countAttributes, createDelivery } from './createDelivery.js';
import * as changes from './fileChanges.js';
import * as files from './fileItems.js';
import { type DeliveryItem, type FileItem, toDeliveryHeader, toFileRecord } from './items.js';
import { listDeliveries, listOpenDeliveries } from './listDeliveries.js';
import { recordCallback } from './recordCallback.js';
import {
  getItem,
  inList,
  isConditionFailure,
  type TableContext,
  updateMetaIfExists,
} from './TableContext.js';
import { deliveryPk, fileSk, META } from './tableKeys.js';

/** Options of {@link DynamoDbDeliveryStore}. */
export interface DynamoDbDeliveryStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Compressed bytes an accepted callback's body may take (stored in parts). @default 6 MiB */
  readonly maxCallbackBytes?: number;
}

/**
 * {@link DeliveryStore} on DynamoDB. Without transactions (dynalite and cost), every method is
 * one conditional write or ordered so that a crash between two writes leaves a state the next
 * call repairs: file items are written before the counts that publish them; an accepted
 * callback's body before its receipt, its receipt before its dedupe record.
 */
export class DynamoDbDeliveryStore implements DeliveryStore {
  readonly #ctx: TableContext;
  readonly #maxCallbackBytes: number;

  constructor(options: DynamoDbDeliveryStoreOptions) {
    const now = options.now ?? (() => new Date());
    this.#ctx = { client: options.client, table: options.tableName, stamp: () => now().toISOString() };
    this.#maxCallbackBytes = options.maxCallbackBytes ?? DEFAULT_MAX_CALLBACK_BYTES;
  }

  create(input: NewDelivery): Promise<CreateResult> {
    return createDelivery(this.#ctx, input);
  }

  async get(id: string): Promise<DeliveryHeader | undefined> {
    const item = await getItem<DeliveryItem>(this.#ctx, deliveryPk(id), META);
    return item === undefined ? undefined : toDeliveryHeader(item);
  }

  list(query: ListDeliveriesQuery = {}): Promise<DeliveryPage> {
    return listDeliveries(this.#ctx, query);
  }

  listOpen(query: ListOpenQuery = {}): Promise<DeliveryPage> {
    return listOpenDeliveries(this.#ctx, query);
  }

  async transition(
    id: string,
    from: readonly DeliveryStatus[],
    to: DeliveryStatus,
    options: TransitionOptions = {},
  ): Promise<boolean> {
    if (from.length === 0) return false;
    const allowed = inList('from', from);
    // A terminal delivery leaves the sparse open index.
    const leaveOpen = isTerminalStatus(to) ? ' REMOVE openPk' : '';
    try {
      await this.#ctx.client.send(
        new UpdateCommand({
          TableName: this.#ctx.table,
          Key: { pk: deliveryPk(id), sk: META },
          UpdateExpression: `SET #status = :to, updatedAt = :now${options.error === undefined ? '' : ', #error = :error'}${leaveOpen}`,
          ConditionExpression: `attribute_exists(pk) AND #status IN ${allowed.expression}`,
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(options.error === undefined ? {} : { '#error': 'error' }),
          },
          ExpressionAttributeValues: {
            ':to': to,
            ':now': this.#ctx.stamp(),
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
    await updateMetaIfExists(this.#ctx, id, {
      expression: 'SET taskToken = :token',
      values: { ':token': token },
    });
  }

  async getTaskToken(id: string): Promise<string | undefined> {
    return (await getItem<{ taskToken?: string }>(this.#ctx, deliveryPk(id), META))?.taskToken;
  }

  async deleteTaskToken(id: string): Promise<void> {
    await updateMetaIfExists(this.#ctx, id, { expression: 'REMOVE taskToken' });
  }

  recordCallback(id: string, incoming: IncomingCallback): Promise<RecordCallbackResult> {
    return recordCallback(this.#ctx, id, incoming, this.#maxCallbackBytes);
  }

  async getCallback(id: string): Promise<NormalisedCallback | undefined> {
    const item = await getItem<DeliveryItem>(this.#ctx, deliveryPk(id), META);
    if (item?.callback === undefined) return undefined;
    return getCallbackBody(this.#ctx, id, item.callback.dedupeKey, item.callbackParts);
  }

  async setFiles(id: string, list: readonly FileSpec[]): Promise<boolean> {
    const item = await getItem<DeliveryItem>(this.#ctx, deliveryPk(id), META);
    if (item === undefined || item.fileCount !== undefined) return false;
    // Written again after a crash before the counts: the same list makes the same items.
    await files.putFiles(this.#ctx, id, list);
    const counts = countAttributes(countsOfNewFiles(list));
    const names = Object.keys(counts);
    try {
      await this.#ctx.client.send(
        new UpdateCommand({
          TableName: this.#ctx.table,
          Key: { pk: deliveryPk(id), sk: META },
          UpdateExpression: `SET updatedAt = :now, ${names.map((_, n) => `#c${n} = :c${n}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(fileCount)',
          ExpressionAttributeNames: Object.fromEntries(names.map((name, n) => [`#c${n}`, name])),
          ExpressionAttributeValues: {
            ':now': this.#ctx.stamp(),
            ...Object.fromEntries(names.map((name, n) => [`:c${n}`, counts[name]])),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  listFiles(id: string, query: ListFilesQuery = {}): Promise<FilePage> {
    return files.listFiles(this.#ctx, id, query);
  }

  async getFile(id: string, index: number): Promise<FileRecord | undefined> {
    const item = await getItem<FileItem>(this.#ctx, deliveryPk(id), fileSk(index));
    return item === undefined ? undefined : toFileRecord(item);
  }

  async getDeliveryFile(id: string, index: number): Promise<DeliveryFile | undefined> {
    // Two strongly consistent point reads, never the partition.
    const [meta, file] = await Promise.all([
      getItem<DeliveryItem>(this.#ctx, deliveryPk(id), META),
      getItem<FileItem>(this.#ctx, deliveryPk(id), fileSk(index)),
    ]);
    if (meta === undefined) return undefined;
    return { delivery: toDeliveryHeader(meta), file: file === undefined ? undefined : toFileRecord(file) };
  }

  listFileIndices(
    id: string,
    query: { readonly statuses: readonly FileStatus[]; readonly fromIndex: number; readonly limit: number },
  ): Promise<number[]> {
    return files.listFileIndices(this.#ctx, id, query);
  }

  updateFiles(id: string, updates: readonly FileUpdate[]): Promise<void> {
    return changes.updateFiles(this.#ctx, id, updates);
  }

  updateFile(id: string, index: number, patch: FilePatch): Promise<void> {
    return changes.patchFile(this.#ctx, id, index, patch);
  }

  async startFileAttempt(id: string, index: number, route?: 'small' | 'large'): Promise<number> {
    const attempts = await changes.startAttempt(this.#ctx, id, index, route);
    if (attempts === undefined)
      throw new ServiceError('DELIVERY_NOT_FOUND', `Delivery "${id}" has no file #${index}.`);
    return attempts;
  }

  async close(): Promise<void> {
    // The client belongs to the caller (a Lambda reuses it across invocations).
  }
}
