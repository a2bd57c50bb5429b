/** ResolveFiles: turns the accepted callback into the delivery's stored file list. */
import {
  checkUrl,
  createConnectGuard,
  type PayloadProfile,
  parseManifest,
  requestHeadersFor,
} from '@downloader/callback-core';
import type { FileListSource } from '../domain/callback.js';
import type { FileSpec } from '../domain/fileSpec.js';
import type { WorkflowProfile } from '../ports/ProviderProfiles.js';
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { WorkflowTaskError } from '../workflow/errorNames.js';
import { classifyFailure } from './classifyFailure.js';
import { MemorySink } from './MemorySink.js';
import type { TaskContext } from './TaskContext.js';
import { deliveryInput } from './taskInput.js';

async function fetchList(
  ctx: TaskContext,
  url: string,
  profile: WorkflowProfile,
): Promise<readonly FileSpec[]> {
  const verdict = checkUrl(url, profile.urlPolicy);
  if (!verdict.ok)
    throw new WorkflowTaskError('permanent', 'URL_BLOCKED', `File list URL refused: ${verdict.message}`);
  const sink = new MemorySink(profile.limits.maxManifestBytes);
  try {
    await ctx.download(url, {
      sink,
      connections: 1,
      // The profile's credentials for this host only; fetch-stream drops them on a redirect away.
      credentialHeaders: requestHeadersFor(url, profile.requestAuth),
      connectGuard: createConnectGuard(profile.urlPolicy),
      signal: ctx.signal,
      retry: { retries: ctx.fetchRetries ?? 2 },
    });
  } catch (error) {
    // The sink's own refusal names the cap; the download reports it wrapped as a sink failure.
    const refusal = sink.refusal;
    if (refusal !== undefined) {
      throw new WorkflowTaskError('permanent', refusal.code, refusal.message, { cause: error });
    }
    throw classifyFailure(error);
  }
  try {
    return parseManifest(sink.bytes, profile).files;
  } catch (error) {
    throw new WorkflowTaskError('permanent', 'FILE_LIST_INVALID', (error as Error).message, { cause: error });
  }
}

async function filesOf(
  ctx: TaskContext,
  source: FileListSource,
  profile: WorkflowProfile,
): Promise<readonly FileSpec[]> {
  if (source.kind === 'files') return source.files;
  return fetchList(ctx, source.url, profile);
}

function checkUrls(
  files: readonly { readonly name: string; readonly url: string }[],
  profile: PayloadProfile,
): void {
  for (const file of files) {
    const verdict = checkUrl(file.url, profile.urlPolicy);
    if (!verdict.ok) {
      throw new WorkflowTaskError(
        'permanent',
        'URL_BLOCKED',
        `File "${file.name}" refused: ${verdict.message}`,
      );
    }
  }
}

/**
 * Idempotent: a delivery already past `resolving` is left alone; a file list stored by an
 * earlier run (or given at registration) is kept. Every file URL is checked against the
 * provider's URL policy; one refused URL fails the delivery before anything is downloaded.
 */
export async function resolveFiles(ctx: TaskContext, input: JsonValue): Promise<JsonValue> {
  const { deliveryId } = deliveryInput(input);
  const delivery = await ctx.store.get(deliveryId);
  if (delivery === undefined || delivery.status !== 'resolving') return { skipped: true };
  const profile = ctx.profiles.get(delivery.providerId);
  if (profile === undefined) {
    throw new WorkflowTaskError(
      'permanent',
      'UNKNOWN_PROVIDER',
      `Provider "${delivery.providerId}" has no profile; add it to the configuration.`,
    );
  }
  if (delivery.counts.files > 0) {
    // A list stored by an earlier run (or given at registration) is checked page by page.
    let cursor: string | undefined;
    do {
      const page = await ctx.store.listFiles(deliveryId, {
        limit: 1000,
        ...(cursor === undefined ? {} : { cursor }),
      });
      checkUrls(
        page.items.map((file) => ({ name: file.name, url: file.sourceUrl })),
        profile,
      );
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  } else {
    const callback = await ctx.store.getCallback(deliveryId);
    if (callback === undefined) {
      throw new WorkflowTaskError('permanent', 'FILE_LIST_INVALID', 'The delivery has no accepted callback.');
    }
    const resolved = await filesOf(ctx, callback.source, profile);
    if (resolved.length > profile.limits.maxFiles) {
      throw new WorkflowTaskError(
        'permanent',
        'FILE_LIST_TOO_LARGE',
        `The list has ${resolved.length} files; the profile allows ${profile.limits.maxFiles}.`,
      );
    }
    await ctx.store.setFiles(deliveryId, resolved);
    // Every URL passes the policy before any fetch.
    checkUrls(resolved, profile);
  }
  await ctx.store.transition(deliveryId, ['resolving'], 'downloading');
  return { skipped: false };
}
