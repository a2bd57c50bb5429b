/** An in-memory DeliveryStore double for routing tests (the real SQLite store is tested elsewhere). */
import type { NormalisedCallback } from '../../../src/domain/callback.js';
import type { Delivery, DeliveryStatus, FileRecord } from '../../../src/domain/delivery.js';
import type { FileSpec } from '../../../src/domain/fileSpec.js';
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
} from '../../../src/ports/DeliveryStore.js';

function fileRecord(spec: FileSpec, index: number): FileRecord {
  return {
    index,
    name: spec.name,
    sourceUrl: spec.url,
    ...(spec.size === undefined ? {} : { size: spec.size }),
    ...(spec.checksums === undefined ? {} : { expected: spec.checksums }),
    bytes: 0,
    attempts: 0,
    status: 'pending',
  };
}

/** Keeps deliveries in a Map; every method behaves as the port documents. */
export class InMemoryDeliveryStore implements DeliveryStore {
  readonly deliveries = new Map<string, Delivery>();
  readonly callbacks = new Map<string, NormalisedCallback>();
  readonly tokens = new Map<string, string>();
  private readonly byKey = new Map<string, string>();
  private order: string[] = [];

  async create(input: NewDelivery): Promise<CreateResult> {
    const earlierId = input.idempotencyKey === undefined ? input.id : this.byKey.get(input.idempotencyKey);
    const earlier = earlierId === undefined ? undefined : this.deliveries.get(earlierId);
    if (earlier !== undefined) return { delivery: earlier, created: false };
    const delivery: Delivery = {
      id: input.id,
      providerId: input.providerId,
      ...(input.projectId === undefined ? {} : { projectId: input.projectId }),
      ...(input.label === undefined ? {} : { label: input.label }),
      status: 'awaiting_callback',
      createdAt: input.createdAt,
      expiresAt: input.expiresAt,
      updatedAt: input.createdAt,
      files: (input.files ?? []).map(fileRecord),
    };
    this.deliveries.set(input.id, delivery);
    if (input.idempotencyKey !== undefined) this.byKey.set(input.idempotencyKey, input.id);
    this.order = [input.id, ...this.order];
    return { delivery, created: true };
  }

  async get(id: string): Promise<Delivery | undefined> {
    return this.deliveries.get(id);
  }

  async getHeader(id: string): Promise<DeliveryHeader | undefined> {
    const found = this.deliveries.get(id);
    if (found === undefined) return undefined;
    const { files: _files, ...delivery } = found;
    return delivery;
  }

  async list(query: ListDeliveriesQuery = {}): Promise<DeliveryPage> {
    const statuses = query.status === undefined ? [] : ([] as DeliveryStatus[]).concat(query.status);
    const all = this.order
      .map((id) => this.deliveries.get(id))
      .filter(
        (d): d is Delivery => d !== undefined && (statuses.length === 0 || statuses.includes(d.status)),
      );
    const start = query.cursor === undefined ? 0 : Number(query.cursor);
    const limit = query.limit ?? 50;
    const items = all.slice(start, start + limit);
    return {
      items,
      ...(start + limit < all.length ? { nextCursor: String(start + limit) } : {}),
    };
  }

  async transition(id: string, from: readonly DeliveryStatus[], to: DeliveryStatus): Promise<boolean> {
    const delivery = this.deliveries.get(id);
    if (delivery === undefined || !from.includes(delivery.status)) return false;
    this.deliveries.set(id, { ...delivery, status: to });
    return true;
  }

  async putTaskToken(id: string, token: string): Promise<void> {
    this.tokens.set(id, token);
  }

  async getTaskToken(id: string): Promise<string | undefined> {
    return this.tokens.get(id);
  }

  async deleteTaskToken(id: string): Promise<void> {
    this.tokens.delete(id);
  }

  async recordCallback(id: string, incoming: IncomingCallback): Promise<RecordCallbackResult> {
    const delivery = this.deliveries.get(id);
    if (delivery === undefined) return { verdict: 'not_found' };
    const stored = delivery.callback;
    if (stored !== undefined && stored.dedupeKey === incoming.dedupeKey) {
      return { verdict: stored.bodySha256 === incoming.bodySha256 ? 'duplicate' : 'conflict', delivery };
    }
    if (delivery.status !== 'awaiting_callback') return { verdict: 'closed', delivery };
    const next: Delivery = {
      ...delivery,
      status: 'resolving',
      callback: {
        ...(incoming.eventId === undefined ? {} : { eventId: incoming.eventId }),
        dedupeKey: incoming.dedupeKey,
        bodySha256: incoming.bodySha256,
        receivedAt: incoming.receivedAt,
      },
    };
    this.deliveries.set(id, next);
    this.callbacks.set(id, incoming.callback);
    return { verdict: 'new', delivery: next };
  }

  async getCallback(id: string): Promise<NormalisedCallback | undefined> {
    return this.callbacks.get(id);
  }

  async setFiles(id: string, files: readonly FileSpec[]): Promise<boolean> {
    const delivery = this.deliveries.get(id);
    if (delivery === undefined || delivery.files.length > 0) return false;
    this.deliveries.set(id, { ...delivery, files: files.map(fileRecord) });
    return true;
  }

  async getFile(id: string, index: number): Promise<FileRecord | undefined> {
    return this.deliveries.get(id)?.files[index];
  }

  async getDeliveryFile(id: string, index: number): Promise<DeliveryFile | undefined> {
    const found = this.deliveries.get(id);
    if (found === undefined) return undefined;
    const { files, ...delivery } = found;
    return { delivery, file: files[index] };
  }

  async listFileIndices(): Promise<number[]> {
    return [];
  }

  async updateFile(id: string, index: number, patch: FilePatch): Promise<void> {
    const delivery = this.deliveries.get(id);
    if (delivery === undefined) return;
    const files = delivery.files.map((file) => {
      if (file.index !== index) return file;
      const { error, ...rest } = patch;
      const merged: FileRecord = { ...file, ...rest };
      if (error === null) {
        const { error: _dropped, ...withoutError } = merged;
        return withoutError;
      }
      return error === undefined ? merged : { ...merged, error };
    });
    this.deliveries.set(id, { ...delivery, files });
  }

  async startFileAttempt(): Promise<number> {
    return 1;
  }

  async close(): Promise<void> {}
}
