/** Binds every Task of the definition (except AwaitCallback) to its handler over the given context. */
import type { LocalTaskHandler } from '../adapters/local/engine/LocalStepFunctionsEngine.js';
import { downloadFileBatch } from '../handlers/downloadFileBatch.js';
import { downloadLargeFile } from '../handlers/downloadLargeFile.js';
import { finalizeDelivery } from '../handlers/finalizeDelivery.js';
import { markCallbackTimedOut } from '../handlers/markCallbackTimedOut.js';
import { markDeliveryFailed } from '../handlers/markDeliveryFailed.js';
import { markFileFailed } from '../handlers/markFileFailed.js';
import { nextFileChunk } from '../handlers/nextFileChunk.js';
import { probeFile } from '../handlers/probeFile.js';
import { resolveFiles } from '../handlers/resolveFiles.js';
import type { TaskContext } from '../handlers/TaskContext.js';
import type { JsonValue } from '../ports/WorkflowEngine.js';
import type { TaskName } from '../workflow/taskNames.js';

type Handler = (ctx: TaskContext, input: JsonValue) => Promise<JsonValue>;

const HANDLERS: Readonly<Record<Exclude<TaskName, 'AwaitCallback'>, Handler>> = {
  ResolveFiles: resolveFiles,
  NextFileChunk: nextFileChunk,
  ProbeFile: probeFile,
  DownloadSmall: downloadFileBatch,
  DownloadLarge: downloadLargeFile,
  MarkFileFailed: markFileFailed,
  Finalize: finalizeDelivery,
  MarkCallbackTimedOut: markCallbackTimedOut,
  MarkDeliveryFailed: markDeliveryFailed,
};

/** The local engine's `handlers` option. */
export function localTaskHandlers(
  ctx: TaskContext,
): Record<Exclude<TaskName, 'AwaitCallback'>, LocalTaskHandler> {
  return Object.fromEntries(
    Object.entries(HANDLERS).map(([name, handler]) => [name, (input: JsonValue) => handler(ctx, input)]),
  ) as Record<Exclude<TaskName, 'AwaitCallback'>, LocalTaskHandler>;
}
