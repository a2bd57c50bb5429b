import { createHash } from 'node:crypto';
import { deterministicChunks, keyFor } from './deterministicBytes.js';

/** One version of one resource the origin serves. */
export interface Resource {
  readonly name: string;
  readonly size: number;
  /** Starts at 1; every change (setContent, the `change` fault) adds 1. */
  readonly version: number;
  /** Strong ETag, quoted. */
  readonly etag: string;
  /** HTTP-date; differs between versions. */
  readonly lastModified: string;
  /** Bytes `[start, end)` in chunks of at most `chunkSize`. */
  chunks(start: number, end: number, chunkSize?: number): Iterable<Buffer>;
}

/** Last-Modified of version 1; each later version is one minute newer, so dates always differ. */
const EPOCH_MS = Date.UTC(2024, 0, 1);

function makeResource(seed: string, name: string, version: number, size: number, data?: Buffer): Resource {
  const tag = createHash('sha256').update(`${seed}\0${name}\0${version}`).digest('hex').slice(0, 20);
  const key = keyFor(`${seed}\0${name}\0${version}`);
  return {
    name,
    size,
    version,
    etag: `"${tag}"`,
    lastModified: new Date(EPOCH_MS + version * 60_000).toUTCString(),
    chunks: data
      ? function* (start: number, end: number, chunkSize = 64 * 1024) {
          for (let at = start; at < end; at += chunkSize)
            yield data.subarray(at, Math.min(end, at + chunkSize));
        }
      : (start: number, end: number, chunkSize?: number) => deterministicChunks(key, start, end, chunkSize),
  };
}

/** The resources of one origin, by name, with their current version. */
export class ResourceStore {
  readonly #seed: string;
  readonly #resources = new Map<string, Resource>();
  readonly #digests = new Map<Resource, Buffer>();

  constructor(seed: string) {
    this.#seed = seed;
  }

  /** Registers (or replaces) a generated resource of `size` bytes. */
  addFile(name: string, size: number): Resource {
    if (!Number.isSafeInteger(size) || size < 0)
      throw new RangeError(`size must be a byte count, got ${size}`);
    const version = (this.#resources.get(name)?.version ?? 0) + 1;
    const resource = makeResource(this.#seed, name, version, size);
    this.#resources.set(name, resource);
    return resource;
  }

  /** Replaces a resource's bytes with `data`: a new version, so a new ETag and Last-Modified. */
  setContent(name: string, data: Buffer): Resource {
    const version = (this.#resources.get(name)?.version ?? 0) + 1;
    const resource = makeResource(this.#seed, name, version, data.length, Buffer.from(data));
    this.#resources.set(name, resource);
    return resource;
  }

  /** Makes a new generated version of the same size (what the `change` fault does). */
  bump(name: string): Resource {
    const current = this.require(name);
    const resource = makeResource(this.#seed, name, current.version + 1, current.size);
    this.#resources.set(name, resource);
    return resource;
  }

  get(name: string): Resource | undefined {
    return this.#resources.get(name);
  }

  require(name: string): Resource {
    const resource = this.#resources.get(name);
    if (!resource) throw new Error(`fault-origin: no resource named "${name}"`);
    return resource;
  }

  /** sha256 of a resource version's full bytes (computed once per version). */
  sha256(resource: Resource): Buffer {
    let digest = this.#digests.get(resource);
    if (!digest) {
      const hash = createHash('sha256');
      for (const chunk of resource.chunks(0, resource.size, 1024 * 1024)) hash.update(chunk);
      digest = hash.digest();
      this.#digests.set(resource, digest);
    }
    return digest;
  }

  /** A resource version's full bytes (for small resources in tests). */
  bytes(resource: Resource): Buffer {
    return Buffer.concat([...resource.chunks(0, resource.size, 1024 * 1024)]);
  }
}
