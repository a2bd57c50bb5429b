/**
 * The program of a download worker thread, as CommonJS source run with `eval`: no extra file to
 * build and ship next to the bundles. It loads fetch-stream and callback-core from the service's
 * own dependencies (`workerData.resolveFrom`) and runs one `download` per `start` message,
 * several at once; `abort` cancels one. Errors travel back as plain data: name, message, and the
 * `code` / `retryable` the workflow classifies them by.
 *
 * A file declared at most 1 MiB on one connection (what fetch-stream's first request fetches
 * whole) is received in memory and written once: `<path>.part` written, synced, renamed to
 * `<path>`, the folder synced. A crash loses at most that one request, so it keeps no journal and
 * no lock file; the window never runs one file twice at once, and one service holds a data folder.
 * That is 4 files opened/renamed per file instead of about 20 (lock, journal written twice,
 * `.part`, their removals). Anything else goes through fetch-stream's `FileSink` (journal, resume).
 */
export const DOWNLOAD_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const load = require('node:module').createRequire(workerData.resolveFrom);
const { download, FileSink } = load('@downloader/fetch-stream');
const { createConnectGuard } = load('@downloader/callback-core');
const { open, rename, mkdir } = require('node:fs/promises');
const { dirname } = require('node:path');
const { constants } = require('node:fs');
// Never through a link planted at <path>.part: it would send the bytes wherever it points.
const PART_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
const running = new Map();
const IN_MEMORY_MAX = 1024 * 1024;
const knownFolders = new Set();

function sinkError(message, code) {
  return Object.assign(new Error(message), { name: 'SinkError', code, retryable: false });
}

async function syncFolder(path) {
  let handle;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF'].includes(error && error.code)) throw error;
  } finally {
    await (handle && handle.close());
  }
}

async function ensureFolder(path) {
  if (knownFolders.has(path)) return;
  await mkdir(path, { recursive: true });
  if (knownFolders.size > 10000) knownFolders.clear();
  knownFolders.add(path);
}

/** A sink for one small file: bytes in memory (at most the declared size), written once verified. */
class WholeFileSink {
  constructor(path, cap) {
    this.path = path;
    this.cap = cap;
    this.capabilities = { readBack: true };
    this.buffer = Buffer.alloc(0);
    this.length = 0;
  }
  async open() {
    return undefined;
  }
  async begin(transfer) {
    if (transfer.total !== undefined && transfer.total > this.cap) {
      throw sinkError('The file is larger (' + transfer.total + ' bytes) than its declared size (' + this.cap + ' bytes).', 'FILE_TOO_LARGE');
    }
    this.buffer = Buffer.allocUnsafe(transfer.total !== undefined ? transfer.total : this.cap);
    this.length = 0;
  }
  async write(offset, data) {
    const end = offset + data.length;
    if (end > this.buffer.length) {
      throw sinkError('The file is larger than its declared size (' + this.cap + ' bytes).', 'FILE_TOO_LARGE');
    }
    this.buffer.set(data, offset);
    if (end > this.length) this.length = end;
  }
  async read(offset, length) {
    return this.buffer.subarray(offset, Math.min(offset + length, this.length));
  }
  async commitPart() {}
  async finalize(info) {
    const folder = dirname(this.path);
    await ensureFolder(folder);
    const part = this.path + '.part';
    const handle = await open(part, PART_FLAGS, 0o644);
    try {
      await handle.writeFile(this.buffer.subarray(0, info.bytes));
      // Data before the name, the name made durable after: as FileSink does with power-loss durability.
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(part, this.path);
    await syncFolder(folder);
    this.buffer = Buffer.alloc(0);
  }
  async discard() {
    this.buffer = Buffer.alloc(0);
  }
  async close() {
    this.buffer = Buffer.alloc(0);
  }
}

function sinkFor(job) {
  if (job.expectedSize !== undefined && job.expectedSize <= IN_MEMORY_MAX && job.connections === 1) {
    return new WholeFileSink(job.path, job.expectedSize);
  }
  return new FileSink(job.path);
}

function plainError(error) {
  const e = error !== null && typeof error === 'object' ? error : {};
  const out = {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(error),
  };
  if (typeof e.code === 'string') out.code = e.code;
  if (typeof e.retryable === 'boolean') out.retryable = e.retryable;
  return out;
}

function start(id, job) {
  const controller = new AbortController();
  running.set(id, controller);
  let run;
  try {
    run = download(job.url, {
      sink: sinkFor(job),
      connections: job.connections,
      ...(job.expected === undefined ? {} : { checksum: job.expected }),
      ...(job.expectedSize === undefined ? {} : { expectedSize: job.expectedSize }),
      ...(job.maxBytes === undefined ? {} : { maxBytes: job.maxBytes }),
      ...(job.lowSpeed === undefined
        ? {}
        : { timeouts: { lowSpeedBytesPerSecond: job.lowSpeed.bytesPerSecond, lowSpeedWindow: job.lowSpeed.windowMs } }),
      credentialHeaders: job.credentialHeaders ?? {},
      connectGuard: createConnectGuard(job.urlPolicy),
      signal: controller.signal,
      retry: { retries: job.retries },
      onProgress: (event) => parentPort.postMessage({ type: 'progress', id, bytes: event.bytes }),
    });
  } catch (error) {
    run = Promise.reject(error);
  }
  run.then(
    (result) => parentPort.postMessage({ type: 'done', id, bytes: result.bytes, sha256: result.sha256 }),
    (error) => parentPort.postMessage({ type: 'failed', id, error: plainError(error) }),
  ).finally(() => running.delete(id));
}

parentPort.on('message', (message) => {
  if (message.type === 'start') start(message.id, message.job);
  else if (message.type === 'abort') running.get(message.id)?.abort();
});
`;
