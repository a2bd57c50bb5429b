/** The local object store: objects are files under a root folder (`<root>/<deliveryId>/<name>`). */
import { createHash, randomBytes } from 'node:crypto';
import { constants, createReadStream, mkdirSync } from 'node:fs';
import { lstat, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FileSink, type Sink } from '@downloader/fetch-stream';
import type { ObjectDigest, ObjectStore, ObjectTarget } from '../../../ports/ObjectStore.js';
import { ensureRealFolders } from './ensureRealFolders.js';
import { resolveObjectPath } from './resolveObjectPath.js';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** fsync of a folder, so a rename in it survives power loss; a no-op where folders cannot be synced. */
async function syncFolder(path: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * {@link ObjectStore} on a folder. Whole objects (also streamed ones) are written to a temporary
 * file, synced, renamed and their folder synced, so a reader never sees half a report and a
 * written report survives power loss; downloads go through fetch-stream's `FileSink` (`.part` file plus
 * journal, synced and renamed once verified).
 */
export class FileSystemObjectStore implements ObjectStore {
  /** The folder that holds every delivery's folder. */
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  get localRoot(): string {
    return this.root;
  }

  #rootMade = false;

  /** The object's path, its folders created and checked to be real folders (no links). */
  #pathFor(key: string): string {
    const path = resolveObjectPath(this.root, key);
    if (!this.#rootMade) {
      // The root is the operator's choice (it may be a link); only what is below it is checked.
      mkdirSync(this.root, { recursive: true });
      this.#rootMade = true;
    }
    ensureRealFolders(this.root, path);
    return path;
  }

  async putObject(key: string, body: Uint8Array | string): Promise<void> {
    await this.writeObject(key, [body]);
  }

  async writeObject(
    key: string,
    chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  ): Promise<void> {
    const path = this.#pathFor(key);
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(
      temp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o644,
    );
    try {
      // writeFile on a handle writes all of the chunk at the current position, then moves on.
      for await (const chunk of chunks) await handle.writeFile(chunk);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temp, path);
    await syncFolder(dirname(path));
  }

  async getObject(key: string): Promise<Uint8Array | undefined> {
    try {
      const path = resolveObjectPath(this.root, key);
      if (!ensureRealFolders(this.root, path, false)) return undefined;
      // A link at the object's name is not an object of ours: never read through it.
      if (!(await lstat(path)).isFile()) return undefined;
      return await readFile(path);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async headObject(key: string): Promise<{ readonly size: number } | undefined> {
    try {
      const path = resolveObjectPath(this.root, key);
      if (!ensureRealFolders(this.root, path, false)) return undefined;
      const info = await lstat(path);
      return info.isFile() ? { size: info.size } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async hashObject(key: string): Promise<ObjectDigest | undefined> {
    const path = resolveObjectPath(this.root, key);
    const head = await this.headObject(key);
    if (head === undefined) return undefined;
    // Streamed: a file of any size (readFile stops at 2 GiB) in 1 MiB reads.
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    return { size, sha256: hash.digest('hex') };
  }

  createSink(key: string): Sink {
    return new FileSink(this.#pathFor(key));
  }

  targetFor(key: string): ObjectTarget {
    return { kind: 'file', path: this.#pathFor(key) };
  }
}
