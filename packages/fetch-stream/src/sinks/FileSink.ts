import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { InvalidOptionsError, SinkError } from '../errors.js';
import type {
  CompletedPart,
  FileDurability,
  Sink,
  SinkCapabilities,
  SinkFinalizeInfo,
  SinkResumeState,
  SinkTransfer,
} from '../types.js';
import {
  JOURNAL_VERSION,
  type Journal,
  readJournal,
  removeJournal,
  syncDir,
  writeJournalAtomic,
} from './journal.js';
import { OutputLock } from './outputLock.js';

const VERIFY_CHUNK = 1024 * 1024;
/**
 * A background fdatasync starts once this much was committed since the last one began (or a
 * second passed): the kernel would otherwise hold the whole file dirty (its own writeback
 * starts at a share of RAM) and the final sync would write all of it after the last byte
 * arrived. Synced in slices, the disk writes while the network delivers, and the final sync
 * has at most a slice left.
 */
const FLUSH_EVERY_BYTES = 32 * 1024 * 1024;
/**
 * The `.part` file is never opened through a link: one planted at `<output>.part` (by another
 * user of a shared folder, or a provider's earlier file) would make the download write wherever
 * it points.
 */
const PART_OPEN_EXISTING = constants.O_RDWR | constants.O_NOFOLLOW;
const PART_OPEN_NEW = constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
const PART_READ = constants.O_RDONLY | constants.O_NOFOLLOW;
/** Longest time between two background flushes of a slow transfer. */
const FLUSH_INTERVAL_MS = 1000;

/** Options of {@link FileSink}. */
export interface FileSinkOptions {
  /** What the file must survive; see {@link FileDurability}. @default 'power-loss' */
  readonly durability?: FileDurability;
}

/**
 * Writes to `<output>.part` with a crash-safe journal `<output>.part.json`, and renames the
 * `.part` file to `output` only after every byte is verified. Killed at any moment, the next
 * run keeps every part whose CRC32 still matches and re-fetches the rest.
 *
 * Durability: each committed part is recorded at once by an atomic journal rename (enough
 * for a killed process: the page cache survives it). With `durability: 'power-loss'` (the
 * default), fdatasync of the data and a durable journal rewrite run in the background after
 * every 32 MiB committed (or each second), so the disk writes while the network delivers and
 * the data synced once more before the final rename is at most one such slice; after power loss a journaled part whose bytes did not reach the
 * disk fails its CRC32 check on resume and is fetched again, so no wrong byte is ever kept.
 */
export class FileSink implements Sink {
  readonly capabilities: SinkCapabilities = { readBack: true };
  /** Absolute path of the final file. */
  readonly output: string;
  readonly partPath: string;
  readonly journalPath: string;
  private readonly lock: OutputLock;
  private fh: FileHandle | undefined;
  private transfer: SinkTransfer | undefined;
  private readonly parts = new Map<number, number>();
  private journalChain: Promise<void> = Promise.resolve();
  private flushing: Promise<void> | undefined;
  private lastFlush = 0;
  /** Bytes committed since the last background flush began. */
  private unflushedBytes = 0;
  /** Whether anything is fsynced (`durability: 'power-loss'`). */
  private readonly fsync: boolean;

  constructor(output: string, options: FileSinkOptions = {}) {
    const durability = options.durability ?? 'power-loss';
    if (durability !== 'power-loss' && durability !== 'process-exit') {
      throw new InvalidOptionsError(
        `FileSink durability must be 'power-loss' or 'process-exit', not ${JSON.stringify(durability)}.`,
      );
    }
    this.fsync = durability === 'power-loss';
    this.output = resolve(output);
    this.partPath = `${this.output}.part`;
    this.journalPath = `${this.output}.part.json`;
    this.lock = new OutputLock(`${this.output}.part.lock`, this.output);
  }

  async open(): Promise<SinkResumeState | undefined> {
    await mkdir(dirname(this.output), { recursive: true });
    await this.assertReplaceableOutput();
    await this.lock.acquire();
    const journal = await readJournal(this.journalPath);
    if (journal === undefined) return undefined;
    let size: number;
    try {
      const info = await lstat(this.partPath);
      // Anything but a plain file (a link, a FIFO) is not ours to resume from.
      if (!info.isFile()) return undefined;
      size = info.size;
    } catch {
      return undefined;
    }
    const fh = await open(this.partPath, PART_READ);
    const completed: CompletedPart[] = [];
    try {
      for (const [index, expected] of journal.parts) {
        const offset = index * journal.partSize;
        const length = Math.min(journal.partSize, journal.total - offset);
        if (length <= 0 || offset + length > size) continue;
        // A torn write or a journal from another file shows up here; that part is re-fetched.
        if ((await this.crcOf(fh, offset, length)) === expected)
          completed.push({ index, offset, length, crc32: expected });
      }
    } finally {
      await fh.close();
    }
    this.parts.clear();
    for (const p of completed) this.parts.set(p.index, p.crc32);
    return {
      url: journal.url,
      validators: journal.validators,
      total: journal.total,
      partSize: journal.partSize,
      completedParts: completed,
    };
  }

  async begin(transfer: SinkTransfer, keep: boolean): Promise<void> {
    await this.closeHandle();
    await mkdir(dirname(this.output), { recursive: true });
    await this.lock.acquire();
    this.transfer = transfer;
    // The interval counts from the start: a small file done within a second gets one sync,
    // at finalize, instead of a background flush just before it.
    this.lastFlush = Date.now();
    this.unflushedBytes = 0;
    if (!keep) this.parts.clear();
    try {
      this.fh = await open(this.partPath, keep ? PART_OPEN_EXISTING : PART_OPEN_NEW, 0o644);
      if (!keep) {
        if (transfer.total !== undefined) await this.fh.truncate(transfer.total);
        // No part is named yet, so nothing needs to be durable: skip the fsyncs (they would
        // stall a response that is already streaming).
        await this.persistJournal(false);
      }
    } catch (err) {
      throw new SinkError(`Cannot open ${this.partPath} for writing: ${(err as Error).message}`, err);
    }
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    const fh = this.handle();
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await fh.write(data, done, data.length - done, offset + done);
      done += bytesWritten;
    }
  }

  async read(offset: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
    const fh = this.handle();
    const buf =
      into !== undefined && into.length >= length
        ? Buffer.from(into.buffer, into.byteOffset, length)
        : Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === length ? buf : buf.subarray(0, done);
  }

  async commitPart(part: CompletedPart): Promise<void> {
    this.handle();
    this.parts.set(part.index, part.crc32);
    this.unflushedBytes += part.length;
    await this.persistJournal(false);
    this.scheduleFlush();
  }

  async finalize(_info: SinkFinalizeInfo): Promise<void> {
    await this.flushing;
    const fh = this.handle();
    // Data before the name: a file under its final name is never one whose bytes are still
    // only in memory (with 'power-loss').
    if (this.fsync) await fh.datasync();
    await this.closeHandle();
    await rename(this.partPath, this.output);
    if (this.fsync) await syncDir(dirname(this.output));
    await this.journalChain.catch(() => undefined);
    await removeJournal(this.journalPath);
    await this.lock.release();
  }

  async discard(): Promise<void> {
    await this.flushing;
    await this.closeHandle();
    await this.journalChain.catch(() => undefined);
    await removeJournal(this.journalPath);
    await unlink(this.partPath).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await this.lock.release();
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.journalChain.catch(() => undefined);
    const hadFile = this.fh !== undefined;
    await this.closeHandle();
    // A plain stream (no ranges or no known size) cannot resume: the next run starts from byte 0,
    // so what it wrote is only disk used for nothing (up to the whole file on a failed attempt).
    const t = this.transfer;
    if (hadFile && t !== undefined && (!t.ranged || t.total === undefined)) {
      await unlink(this.partPath).catch(() => undefined);
    }
    await this.lock.release();
  }

  /**
   * `<output>` is replaced by a rename at the end: refuse now, before any byte is fetched, when
   * it is something a rename must not replace (a folder, a FIFO, a device such as /dev/null).
   * A link there is fine: the rename replaces the link itself, never what it points to.
   */
  private async assertReplaceableOutput(): Promise<void> {
    let info: Awaited<ReturnType<typeof lstat>>;
    try {
      info = await lstat(this.output);
    } catch {
      return;
    }
    if (info.isFile() || info.isSymbolicLink()) return;
    throw new SinkError(
      `${this.output} exists and is not a regular file (a folder, FIFO or device); FileSink only replaces files. Write to a device or FIFO with download({ output }), which streams into it.`,
    );
  }

  /**
   * Starts a background fdatasync (on libuv's thread pool, beside the transfer) and a durable
   * journal write, once enough was committed or enough time passed since the last one.
   */
  private scheduleFlush(): void {
    const fh = this.fh;
    if (!this.fsync || fh === undefined || this.flushing !== undefined) return;
    if (this.unflushedBytes < FLUSH_EVERY_BYTES && Date.now() - this.lastFlush < FLUSH_INTERVAL_MS) return;
    this.unflushedBytes = 0;
    this.flushing = (async () => {
      try {
        // Data first, then the journal naming it.
        await fh.datasync();
        await this.persistJournal(true);
      } catch {
        // Best effort: progress durability only; correctness rests on the CRC32 re-check.
      } finally {
        this.lastFlush = Date.now();
        this.flushing = undefined;
      }
    })();
  }

  /** `durable`: fsync the journal and its folder (only the background flush asks, and only with `power-loss`). */
  private persistJournal(durable: boolean): Promise<void> {
    const t = this.transfer;
    if (t === undefined) return Promise.resolve();
    // Serialised: concurrent commits each wait for a journal that includes their part.
    const next = this.journalChain.then(() => {
      if (!t.ranged || t.total === undefined) return removeJournal(this.journalPath);
      const journal: Journal = {
        version: JOURNAL_VERSION,
        url: t.url,
        validators: t.validators,
        total: t.total,
        partSize: t.partSize,
        parts: [...this.parts.entries()].sort((a, b) => a[0] - b[0]),
      };
      return writeJournalAtomic(this.journalPath, journal, durable);
    });
    this.journalChain = next.catch(() => undefined);
    return next.catch((err: unknown) => {
      throw new SinkError(`Cannot write the journal ${this.journalPath}: ${(err as Error).message}`, err);
    });
  }

  private async crcOf(fh: FileHandle, offset: number, length: number): Promise<number> {
    const buf = Buffer.allocUnsafe(Math.min(VERIFY_CHUNK, length));
    let crc = 0;
    let done = 0;
    while (done < length) {
      const n = Math.min(buf.length, length - done);
      const { bytesRead } = await fh.read(buf, 0, n, offset + done);
      if (bytesRead === 0) return -1;
      crc = crc32(buf.subarray(0, bytesRead), crc);
      done += bytesRead;
    }
    return crc;
  }

  private handle(): FileHandle {
    if (this.fh === undefined) throw new SinkError('FileSink used before begin() or after close().');
    return this.fh;
  }

  private async closeHandle(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
  }
}
