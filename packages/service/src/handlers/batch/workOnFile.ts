/** One file of a batch: route it, fetch it with its own retries, record the outcome. */
import { requestHeadersFor } from '@downloader/callback-core';
import type { FileRecord } from '../../domain/delivery.js';
import { WORKFLOW_ERRORS } from '../../workflow/errorNames.js';
import { classifyFailure } from '../classifyFailure.js';
import { adoptFinishedObject, type FileTask, progressWriter } from '../fileTaskState.js';
import { fileObjectKey } from '../objectKey.js';
import { probeSize } from '../probeSize.js';
import { scrubPaths } from '../scrubPaths.js';
import type { TaskContext } from '../TaskContext.js';
import { transferLargeFile } from '../transferLargeFile.js';
import { transferSmallFile } from '../transferSmallFile.js';
import type { FileWriteQueue } from './FileWriteQueue.js';
import { fileRetryDelay, pause } from './fileRetryDelay.js';

/** What every file of one batch shares. */
export interface BatchRun {
  readonly ctx: TaskContext;
  readonly deliveryId: string;
  readonly urlPolicy: FileTask['urlPolicy'];
  readonly guard: FileTask['guard'];
  readonly maxFileBytes: FileTask['maxFileBytes'];
  readonly requestAuth: FileTask['requestAuth'];
  readonly largeFileThreshold: number;
  readonly downloadAttempts: number;
  /** Where the files' attempt starts and outcomes go (batched store writes). */
  readonly writes: FileWriteQueue;
  /** Indices this batch leaves to the definition's large-file path. */
  readonly large: number[];
}

/** The download path: declared or probed size against the threshold; unknown sizes go large. */
async function routeOf(run: BatchRun, task: FileTask, signal: AbortSignal): Promise<'small' | 'large'> {
  let size = task.file.size;
  if (size === undefined) {
    try {
      size = await probeSize(
        task.file.sourceUrl,
        task.guard,
        signal,
        requestHeadersFor(task.file.sourceUrl, task.requestAuth),
      );
    } catch (error) {
      const failure = classifyFailure(error);
      // A refused address is final; any other probe failure only costs knowing the size (the
      // large-file path then fetches it with its own retries).
      if (failure.code === 'BLOCKED_URL') throw failure;
      size = undefined;
    }
    if (size !== undefined) run.writes.add({ index: task.file.index, patch: { size } });
  }
  return size === undefined || size >= run.largeFileThreshold ? 'large' : 'small';
}

/**
 * Works on one open file until it is completed, failed, or handed to the large-file path:
 * transient faults are retried up to `downloadAttempts` with the definition's backoff, a
 * permanent one fails the file at once; the last error is stored with its code either way. An
 * abort (the runtime stops) leaves the record as it is, to be resumed by the next start.
 * Store writes go through the batch's queue (see {@link FileWriteQueue}); rejects only when a
 * read of the store, or the queue's last write, failed.
 */
export async function workOnFile(run: BatchRun, file: FileRecord, signal: AbortSignal): Promise<void> {
  const { ctx, deliveryId } = run;
  const task: FileTask = {
    deliveryId,
    file,
    key: fileObjectKey(deliveryId, file.name),
    urlPolicy: run.urlPolicy,
    guard: run.guard,
    maxFileBytes: run.maxFileBytes,
    requestAuth: run.requestAuth,
  };
  // Objects appear only once verified, and only an attempt that started can have written one:
  // a file never attempted costs no look at storage.
  if (file.attempts > 0 && (await adoptFinishedObject(ctx, task))) return;
  let route: 'small' | 'large';
  try {
    route = await routeOf(run, task, signal);
  } catch (error) {
    const failure = classifyFailure(error);
    run.writes.add({
      index: file.index,
      patch: {
        status: 'failed',
        error: { code: failure.code, message: scrubPaths(failure.detail, ctx.objects, deliveryId) },
      },
    });
    return;
  }
  if (route === 'large' && ctx.largeFilesInBatch !== true) {
    run.large.push(file.index);
    return;
  }
  const transfer = route === 'small' ? transferSmallFile : transferLargeFile;
  for (let attempt = 1; ; attempt += 1) {
    run.writes.add({ index: file.index, patch: { route }, addAttempt: true });
    try {
      const result = await transfer(ctx, task, signal, progressWriter(ctx, task));
      run.writes.add({
        index: file.index,
        patch: {
          status: 'completed',
          bytes: result.bytes,
          // A declared size is never rewritten (the transfer enforced it); an unknown one is learnt.
          ...(task.file.size === undefined ? { size: result.bytes } : {}),
          sha256: result.sha256,
          error: null,
        },
      });
      return;
    } catch (error) {
      if (signal.aborted) return;
      const failure = classifyFailure(error);
      const last = failure.name === WORKFLOW_ERRORS.permanent || attempt >= run.downloadAttempts;
      const recorded = { code: failure.code, message: scrubPaths(failure.detail, ctx.objects, deliveryId) };
      run.writes.add({
        index: file.index,
        patch: last ? { status: 'failed', error: recorded } : { error: recorded },
      });
      if (last) return;
      await pause(fileRetryDelay(attempt, ctx.retryDelayMs), signal);
      if (signal.aborted) return;
    }
  }
}
