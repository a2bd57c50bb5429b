/** Port: where delivered files and the `_delivery.json` report are stored. */
import type { Sink } from '@downloader/fetch-stream';

/**
 * Where a large-file runner should write an object: a local path (file-system store) or an
 * S3 location (bucket store). Keys are `<deliveryId>/<name>`.
 */
export type ObjectTarget =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string; readonly endpoint?: string };

/** What {@link ObjectStore.hashObject} finds. */
export interface ObjectDigest {
  readonly size: number;
  readonly sha256: string;
}

/**
 * Objects under `<deliveryId>/…`. Keys are sanitised relative keys (callback-core's
 * `sanitizeObjectKey`); an implementation refuses any key that would escape its root.
 */
export interface ObjectStore {
  /**
   * The local folder objects live under, when they are local files: paths under it are made
   * relative in the error messages the API shows (absent for object storage).
   */
  readonly localRoot?: string;
  /** Writes a whole small object (reports, stored lists), atomically replacing any previous one. */
  putObject(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  /**
   * Writes an object from chunks as they come (a report of 100,000 files), atomically like
   * {@link putObject}, without ever holding the whole body in memory.
   */
  writeObject(key: string, chunks: AsyncIterable<string | Uint8Array>, contentType?: string): Promise<void>;
  /** Reads a whole object; undefined when it does not exist. */
  getObject(key: string): Promise<Uint8Array | undefined>;
  /** Size of a complete object; undefined when it does not exist. */
  headObject(key: string): Promise<{ readonly size: number } | undefined>;
  /**
   * Size and lower-case hex sha256 of a complete object, read as a stream (never whole in
   * memory, whatever its size); undefined when it does not exist. A store may answer from a
   * digest it recorded when the object was verified instead of reading it.
   */
  hashObject(key: string): Promise<ObjectDigest | undefined>;
  /** A fetch-stream sink that writes the object resumably (a journal survives crashes). */
  createSink(key: string): Sink;
  /** Where an out-of-process writer (the large-file runner) must put the object. */
  targetFor(key: string): ObjectTarget;
}
