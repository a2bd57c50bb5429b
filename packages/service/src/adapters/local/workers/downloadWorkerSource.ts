/**
 * The program of a download worker thread, as CommonJS source run with `eval`: no extra file to
 * build and ship next to the bundles. It loads fetch-stream and callback-core from the service's
 * own dependencies (`workerData.resolveFrom`) and runs one `download` into a `FileSink` per
 * `start` message, several at once; `abort` cancels one. Errors travel back as plain data: name,
 * message, and the `code` / `retryable` the workflow classifies them by.
 */
export const DOWNLOAD_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const load = require('node:module').createRequire(workerData.resolveFrom);
const { download, FileSink } = load('@downloader/fetch-stream');
const { createConnectGuard } = load('@downloader/callback-core');
const running = new Map();

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
      sink: new FileSink(job.path),
      connections: job.connections,
      ...(job.expected === undefined ? {} : { checksum: job.expected }),
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
