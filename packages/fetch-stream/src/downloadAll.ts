import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { downloadOver, readBufferBytesFor } from './download.js';
import { AbortedError, FetchStreamError, InvalidOptionsError } from './errors.js';
import { ConnectionPool } from './http/h1/ConnectionPool.js';
import { ProgressMeter } from './progress/progressMeter.js';
import type { DownloadOptions, DownloadProgress, DownloadResult, ExpectedChecksums } from './types.js';

/** One file of {@link downloadAll}. */
export interface DownloadItem {
  readonly url: string | URL;
  /** Where to write it (with its `.part` and journal beside it while in progress). */
  readonly output: string;
  /** Expected checksums of this file; a mismatch fails this file only. */
  readonly checksum?: ExpectedChecksums;
  /** Expected size of this file, in bytes. */
  readonly expectedSize?: number;
}

/** Options of {@link downloadAll}: those of `download` (applied to every file), plus these. */
export interface DownloadAllOptions
  extends Omit<
    DownloadOptions,
    'output' | 'sink' | 'checksum' | 'expectedSize' | 'connections' | 'onProgress' | 'onStart'
  > {
  /**
   * Files transferred at once.
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * Connections per file (each file is split only when it is larger than one part).
   * @default 1
   */
  readonly connectionsPerFile?: number;
  /**
   * Keep an output that already exists and has no `.part` beside it (a finished file: outputs
   * appear only once verified) instead of fetching it again; with an expected sha256 it is
   * kept only if it matches. So rerunning the same list resumes it as a whole.
   * @default true
   */
  readonly skipExisting?: boolean;
  /** Combined progress of all files, at most every `progressIntervalMs`, and once at the end. */
  readonly onProgress?: (progress: DownloadAllProgress) => void;
  /** Called as each file ends, in the order they end. */
  readonly onItemDone?: (outcome: DownloadItemOutcome) => void;
}

/** Progress of a whole list: the byte figures summed over its files. */
export interface DownloadAllProgress extends DownloadProgress {
  readonly filesTotal: number;
  /** Files finished (downloaded or kept). */
  readonly filesDone: number;
  readonly filesFailed: number;
  /** Files transferring now. */
  readonly filesActive: number;
}

/** How one file of a list ended. */
export type DownloadItemOutcome =
  | {
      readonly index: number;
      readonly item: DownloadItem;
      readonly status: 'downloaded';
      readonly result: DownloadResult;
    }
  /** The output was already there and complete (see `skipExisting`). */
  | { readonly index: number; readonly item: DownloadItem; readonly status: 'kept'; readonly bytes: number }
  | {
      readonly index: number;
      readonly item: DownloadItem;
      readonly status: 'failed';
      readonly error: FetchStreamError;
    };

/**
 * Downloads many files, `concurrency` at a time, over one shared set of keep-alive
 * connections, with one combined progress. A file's failure fails that file only: the
 * promise resolves with every file's outcome, in list order, and rejects only for bad
 * options. An abort stops the remaining files (they fail with `AbortedError`, parts kept).
 *
 * @example
 * ```ts
 * const outcomes = await downloadAll(
 *   [{ url: 'https://example.org/a.bin', output: 'a.bin' }, { url: 'https://example.org/b.bin', output: 'b.bin' }],
 *   { concurrency: 8, onProgress: (p) => console.log(`${p.filesDone}/${p.filesTotal} files, ${p.bytes} bytes`) },
 * );
 * const failed = outcomes.filter((o) => o.status === 'failed');
 * ```
 */
export async function downloadAll(
  items: ReadonlyArray<DownloadItem>,
  options: DownloadAllOptions = {},
): Promise<DownloadItemOutcome[]> {
  const {
    concurrency: askedConcurrency,
    connectionsPerFile,
    skipExisting,
    onProgress,
    onItemDone,
    ...shared
  } = options;
  const concurrency = positiveInt(askedConcurrency, 4, 'concurrency');
  const perFile = positiveInt(connectionsPerFile, 1, 'connectionsPerFile');
  const outputs = new Set<string>();
  for (const item of items) {
    if (outputs.has(item.output)) throw new InvalidOptionsError(`Two list entries write ${item.output}.`);
    outputs.add(item.output);
  }
  const pool = new ConnectionPool(
    Math.min(64, concurrency * perFile),
    readBufferBytesFor(concurrency * perFile),
  );
  const latest = new Map<number, { bytes: number; total: number | undefined; active: number }>();
  const counts = { done: 0, failed: 0, active: 0 };
  const activeConnections = (): number => {
    let n = 0;
    for (const f of latest.values()) n += f.active;
    return n;
  };
  const meter = new ProgressMeter(
    onProgress === undefined
      ? undefined
      : (e) =>
          onProgress({
            ...e,
            filesTotal: items.length,
            filesDone: counts.done,
            filesFailed: counts.failed,
            filesActive: counts.active,
          }),
    options.progressIntervalMs ?? 250,
    activeConnections,
  );
  const knownTotal = (): number | undefined => {
    let sum = 0;
    for (const f of latest.values()) {
      if (f.total === undefined) return undefined;
      sum += f.total;
    }
    return latest.size === items.length ? sum : undefined;
  };
  const track = (index: number, bytes: number, total: number | undefined, active: number): void => {
    const before = latest.get(index);
    meter.add(bytes - (before?.bytes ?? 0));
    latest.set(index, { bytes, total: total ?? before?.total, active });
    meter.setTotal(knownTotal());
  };

  // One listener on the caller's signal; the files listen on this one, up to `concurrency`
  // downloads at a time with a few listeners each (more than the default warning threshold).
  const stop = new AbortController();
  setMaxListeners(Math.max(10, concurrency * perFile * 4 + 10), stop.signal);
  const onAbort = (): void => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const outcomes: DownloadItemOutcome[] = new Array(items.length);
  const one = async (index: number, item: DownloadItem): Promise<DownloadItemOutcome> => {
    if (stop.signal.aborted) {
      return { index, item, status: 'failed', error: new AbortedError(stop.signal.reason) };
    }
    if (skipExisting !== false) {
      const bytes = await completeOutput(item);
      if (bytes !== undefined) {
        track(index, bytes, bytes, 0);
        return { index, item, status: 'kept', bytes };
      }
    }
    counts.active++;
    try {
      const result = await downloadOver(
        item.url,
        {
          ...shared,
          signal: stop.signal,
          output: item.output,
          connections: perFile,
          ...(item.checksum !== undefined ? { checksum: item.checksum } : {}),
          ...(item.expectedSize !== undefined ? { expectedSize: item.expectedSize } : {}),
          onStart: (info) => track(index, info.resumedBytes, info.total, 0),
          onProgress: (e) => track(index, e.bytes, e.total, e.activeConnections),
          progressIntervalMs: options.progressIntervalMs ?? 250,
        },
        pool,
      );
      track(index, result.bytes, result.bytes, 0);
      return { index, item, status: 'downloaded', result };
    } catch (error) {
      const typed =
        error instanceof FetchStreamError
          ? error
          : new FetchStreamError(String(error), { code: 'INTERNAL', retryable: false, cause: error });
      const before = latest.get(index);
      latest.set(index, { bytes: before?.bytes ?? 0, total: before?.total, active: 0 });
      return { index, item, status: 'failed', error: typed };
    } finally {
      counts.active--;
    }
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as DownloadItem;
      const outcome = await one(index, item);
      if (outcome.status === 'failed') counts.failed++;
      else counts.done++;
      outcomes[index] = outcome;
      onItemDone?.(outcome);
    }
  };
  meter.start();
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  } finally {
    meter.stop(true);
    pool.close();
    options.signal?.removeEventListener('abort', onAbort);
  }
  return outcomes;
}

/** Bytes of `item.output` when it is a finished download (no `.part`, sha256 matching if given). */
async function completeOutput(item: DownloadItem): Promise<number | undefined> {
  const [out, part] = await Promise.all([
    stat(item.output).catch(() => undefined),
    stat(`${item.output}.part`).catch(() => undefined),
  ]);
  if (out === undefined || !out.isFile() || part !== undefined) return undefined;
  if (item.expectedSize !== undefined && out.size !== item.expectedSize) return undefined;
  const expected = item.checksum?.sha256?.toLowerCase();
  if (expected !== undefined) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(item.output)) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== expected) return undefined;
  }
  return out.size;
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > 1024) {
    throw new InvalidOptionsError(`\`${name}\` must be an integer from 1 to 1024; got ${String(value)}.`);
  }
  return value;
}
