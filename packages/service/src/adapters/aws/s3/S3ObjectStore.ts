/** The AWS object store: objects in one bucket under a key prefix (`<prefix><deliveryId>/<name>`). */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Sink } from '@downloader/fetch-stream';
import { S3_MIN_PART_SIZE, S3Sink, uploadStreamToS3 } from '@downloader/fetch-stream/s3';
import type { ObjectDigest, ObjectStore, ObjectTarget } from '../../../ports/ObjectStore.js';
import { s3KeyFor } from './objectKey.js';

/** Options of {@link S3ObjectStore}. */
export interface S3ObjectStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Prepended to every key, e.g. `deliveries/`. @default '' */
  readonly prefix?: string;
  /** S3-compatible endpoint handed to out-of-process writers (tests, emulators). @default AWS */
  readonly endpoint?: string;
}

async function* asBytes(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}

/**
 * {@link ObjectStore} on S3. Whole objects are single PutObject calls (atomic by S3's nature),
 * streamed ones a multipart upload;
 * downloads go through fetch-stream's resumable `S3Sink` (multipart, journal beside the key).
 */
export class S3ObjectStore implements ObjectStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #endpoint: string | undefined;

  constructor(options: S3ObjectStoreOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#prefix = options.prefix ?? '';
    this.#endpoint = options.endpoint;
  }

  async putObject(key: string, body: Uint8Array | string, contentType?: string): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: s3KeyFor(this.#prefix, key),
        Body: body,
        ...(contentType === undefined ? {} : { ContentType: contentType }),
      }),
    );
  }

  /**
   * Streams the chunks into a multipart upload (a single PutObject when they fit in one part),
   * holding at most a few parts in memory; the object appears only when the upload completes.
   * No resume journal: a report is cheap to write again from the store.
   */
  async writeObject(
    key: string,
    chunks: AsyncIterable<string | Uint8Array>,
    contentType?: string,
  ): Promise<void> {
    await uploadStreamToS3({
      client: this.#client,
      bucket: this.#bucket,
      key: s3KeyFor(this.#prefix, key),
      ...(contentType === undefined ? {} : { contentType }),
      source: asBytes(chunks),
      minPartSize: S3_MIN_PART_SIZE,
      concurrency: 2,
      journal: false,
      sha256MetadataCopy: false,
    });
  }

  async getObject(key: string): Promise<Uint8Array | undefined> {
    try {
      const result = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: s3KeyFor(this.#prefix, key) }),
      );
      return result.Body === undefined ? new Uint8Array() : await result.Body.transformToByteArray();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async headObject(key: string): Promise<{ readonly size: number } | undefined> {
    try {
      const result = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#bucket, Key: s3KeyFor(this.#prefix, key) }),
      );
      return { size: result.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async hashObject(key: string): Promise<ObjectDigest | undefined> {
    const s3Key = s3KeyFor(this.#prefix, key);
    try {
      const head = await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: s3Key }));
      const size = head.ContentLength ?? 0;
      // The sink records the sha256 it verified before completing the upload: no need to read
      // (and pay for) the object again.
      const recorded = head.Metadata?.sha256?.toLowerCase();
      if (recorded !== undefined && /^[0-9a-f]{64}$/.test(recorded)) return { size, sha256: recorded };
      const object = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: s3Key }));
      const hash = createHash('sha256');
      let read = 0;
      // Streamed: a Lambda holds one chunk at a time, not the object.
      for await (const chunk of (object.Body ?? []) as Readable | []) {
        hash.update(chunk as Uint8Array);
        read += (chunk as Uint8Array).length;
      }
      return { size: read, sha256: hash.digest('hex') };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  createSink(key: string): Sink {
    return new S3Sink({ client: this.#client, bucket: this.#bucket, key: s3KeyFor(this.#prefix, key) });
  }

  targetFor(key: string): ObjectTarget {
    return {
      kind: 's3',
      bucket: this.#bucket,
      key: s3KeyFor(this.#prefix, key),
      ...(this.#endpoint === undefined ? {} : { endpoint: this.#endpoint }),
    };
  }
}
