/** Shared steps of the per-file tasks. */
import { createConnectGuard, type ResolvedRequestAuth } from '@downloader/callback-core';
import type { ConnectGuard } from '@downloader/fetch-stream';
import type { FileRecord } from '../domain/delivery.js';
import type { UrlPolicyLike } from '../ports/UrlPolicyLike.js';
import { WorkflowTaskError } from '../workflow/errorNames.js';
import { fileObjectKey } from './objectKey.js';
import type { TaskContext } from './TaskContext.js';

/** The file record and what a download of it needs. */
export interface FileTask {
  readonly deliveryId: string;
  readonly file: FileRecord;
  readonly key: string;
  readonly urlPolicy: UrlPolicyLike;
  readonly guard: ConnectGuard;
  /** Largest file the provider's profile accepts (`limits.maxFileBytes`): caps a file of unknown size. */
  readonly maxFileBytes: number;
  /** The profile's credentials per host (`requestHeadersFor` picks the ones for a URL). */
  readonly requestAuth: readonly ResolvedRequestAuth[];
}

/** Loads a file task; undefined when the delivery or file is gone or the delivery is no longer downloading. */
export async function loadFileTask(
  ctx: TaskContext,
  deliveryId: string,
  index: number,
): Promise<FileTask | undefined> {
  // One file and the delivery header, not the whole list: a Map runs this once per file.
  const found = await ctx.store.getDeliveryFile(deliveryId, index);
  if (found === undefined || found.delivery.status !== 'downloading') return undefined;
  const { delivery, file } = found;
  if (file === undefined) return undefined;
  const profile = ctx.profiles.get(delivery.providerId);
  if (profile === undefined) {
    throw new WorkflowTaskError(
      'permanent',
      'UNKNOWN_PROVIDER',
      `Provider "${delivery.providerId}" has no profile.`,
    );
  }
  return {
    deliveryId,
    file,
    key: fileObjectKey(deliveryId, file.name),
    urlPolicy: profile.urlPolicy,
    guard: createConnectGuard(profile.urlPolicy),
    maxFileBytes: profile.limits.maxFileBytes,
    requestAuth: profile.requestAuth ?? [],
  };
}

/**
 * A file the store does not show as completed may still be complete on storage: the process
 * died between the sink's final rename and the store update. Objects only appear once
 * verified, so its presence is proof; it is hashed (locally) and recorded instead of fetched again.
 */
export async function adoptFinishedObject(ctx: TaskContext, task: FileTask): Promise<boolean> {
  if (task.file.status === 'completed') return true;
  // Hashed by streaming (or from the digest recorded at verification): any size, little memory.
  const digest = await ctx.objects.hashObject(task.key);
  if (digest === undefined) return false;
  const expected = task.file.expected?.sha256?.toLowerCase();
  if (expected !== undefined && expected !== digest.sha256) return false;
  await ctx.store.updateFile(task.deliveryId, task.file.index, {
    status: 'completed',
    bytes: digest.size,
    sha256: digest.sha256,
    error: null,
  });
  return true;
}

/**
 * Writes progress to the store at most every `intervalMs`, the first time one interval after
 * the attempt started: a file done sooner needs no progress row (its outcome is written anyway).
 */
export function progressWriter(ctx: TaskContext, task: FileTask): (bytes: number) => void {
  const interval = ctx.progressIntervalMs ?? 500;
  let last = Date.now();
  return (bytes) => {
    const now = Date.now();
    if (now - last < interval) return;
    last = now;
    void ctx.store.updateFile(task.deliveryId, task.file.index, { bytes }).catch(() => undefined);
  };
}
