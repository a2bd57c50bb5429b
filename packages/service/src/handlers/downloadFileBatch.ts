/**
 * DownloadSmall: works through one batch (an index range) of a delivery with a sliding window of
 * `maxConcurrency` files. Locally the batch is the whole delivery, so one slow file never holds
 * back the rest; in the cloud it is one Lambda invocation over a range of files.
 */
import { createConnectGuard } from '@downloader/callback-core';
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { WorkflowTaskError } from '../workflow/errorNames.js';
import { FileWriteQueue } from './batch/FileWriteQueue.js';
import { runSlidingWindow } from './batch/slidingWindow.js';
import { type BatchRun, workOnFile } from './batch/workOnFile.js';
import { classifyFailure } from './classifyFailure.js';
import { filesOf } from './filesOf.js';
import type { TaskContext } from './TaskContext.js';
import { batchInput } from './taskInput.js';

/**
 * Returns `{ large: [indices] }`: the files of the range that need the large-file runner and
 * that this context does not run itself (`largeFilesInBatch`). Every other open file of the
 * range ends completed or failed (its own retries spent). Idempotent: finished files are
 * skipped, so a batch run again after a crash or a Retry only does what is left.
 */
export async function downloadFileBatch(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  const batch = batchInput(input);
  const delivery = await ctx.store.get(batch.deliveryId);
  if (delivery === undefined || delivery.status !== 'downloading') return { large: [] };
  const profile = ctx.profiles.get(delivery.providerId);
  if (profile === undefined) {
    throw new WorkflowTaskError(
      'permanent',
      'UNKNOWN_PROVIDER',
      `Provider "${delivery.providerId}" has no profile.`,
    );
  }
  const run: BatchRun = {
    ctx,
    deliveryId: batch.deliveryId,
    urlPolicy: profile.urlPolicy,
    guard: createConnectGuard(profile.urlPolicy),
    maxFileBytes: profile.limits.maxFileBytes,
    requestAuth: profile.requestAuth ?? [],
    largeFileThreshold: batch.largeFileThreshold,
    downloadAttempts: batch.downloadAttempts,
    writes: new FileWriteQueue(ctx.store, batch.deliveryId),
    large: [],
  };
  let failure: { readonly error: unknown } | undefined;
  try {
    await runSlidingWindow({
      items: filesOf(ctx.store, batch.deliveryId, {
        statuses: ['pending', 'downloading'],
        fromIndex: batch.fromIndex,
        toIndex: batch.toIndex,
      }),
      concurrency: batch.maxConcurrency,
      signal: ctx.signal,
      run: (file, signal) => workOnFile(run, file, signal),
    });
  } catch (error) {
    failure = { error };
  }
  // Whatever happened, the queued writes land before the task ends (a retry must not race them).
  try {
    await run.writes.drain();
  } catch (error) {
    failure ??= { error };
  }
  // The store failed under a file: the batch is retried as a whole (finished files are skipped).
  if (failure !== undefined) throw classifyFailure(failure.error);
  return { large: run.large.sort((a, b) => a - b) };
}
