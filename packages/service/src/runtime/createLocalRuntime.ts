/** The embedded runtime: SQLite store, file-system objects, local engine, child-process runner, wired. */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { PayloadProfile } from '@downloader/callback-core';
import { mintDeliveryId } from '@downloader/callback-core';
import { download } from '@downloader/fetch-stream';
import {
  type ExecutionOutcome,
  LocalStepFunctionsEngine,
  type LocalTaskHandler,
} from '../adapters/local/engine/LocalStepFunctionsEngine.js';
import { FileSystemObjectStore } from '../adapters/local/fs/FileSystemObjectStore.js';
import { ChildProcessLargeFileRunner } from '../adapters/local/runner/ChildProcessLargeFileRunner.js';
import { SqliteDeliveryStore } from '../adapters/local/sqlite/SqliteDeliveryStore.js';
import { WorkerThreadSmallFileRunner } from '../adapters/local/workers/WorkerThreadSmallFileRunner.js';
import { ConfigError } from '../config/ConfigError.js';
import { type DeliveryHeader, isTerminalStatus } from '../domain/delivery.js';
import { DeliveryNotFoundError, ServiceError } from '../domain/errors.js';
import type { FileSpec } from '../domain/fileSpec.js';
import { type AcceptCallbackResult, acceptCallback } from '../handlers/acceptCallback.js';
import { registerTaskToken } from '../handlers/registerTaskToken.js';
import type { DownloadFunction, TaskContext } from '../handlers/TaskContext.js';
import type { CreateResult, DeliveryStore, IncomingCallback } from '../ports/DeliveryStore.js';
import type { LargeFileRunner } from '../ports/LargeFileRunner.js';
import type { ObjectStore } from '../ports/ObjectStore.js';
import type { ProviderProfiles } from '../ports/ProviderProfiles.js';
import { buildDeliveryStateMachine } from '../workflow/buildDeliveryStateMachine.js';
import { allFiles, type SettledDelivery } from './allFiles.js';
import { defaultBatchRunnerCommand } from './defaultBatchRunnerCommand.js';
import { type ExecutionSettings, executionInputFor } from './executionInput.js';
import { localDefinitionOptions } from './localDefinitionOptions.js';
import { localTaskHandlers } from './localTaskHandlers.js';

/** Configuration of {@link createLocalRuntime}. */
export interface LocalRuntimeConfig {
  /** Folder of the state database (`deliveries.sqlite`). @default `./.downloader` */
  readonly stateDir?: string;
  /** Folder of delivered files: `<downloadsDir>/<deliveryId>/<name>`. @default `./downloads` */
  readonly downloadsDir?: string;
  /** Provider profiles by id. */
  readonly profiles: ProviderProfiles | Readonly<Record<string, PayloadProfile>>;
  /** Files of this size or more (or of unknown size) go to the large-file runner. @default 64 MiB */
  readonly largeFileThreshold?: number;
  /** Files downloaded at once per delivery. @default 4 */
  readonly maxConcurrency?: number;
  /** Connections per small file. @default 4 */
  readonly connections?: number;
  /**
   * Least average speed of a small file's body, bytes/s over 60 s, before its connection is cut
   * and retried (a server dripping bytes cannot hold a slot forever). @default 0 (off)
   */
  readonly minBytesPerSecond?: number;
  /** Callback deadline when registration gives none. @default 86 400 (one day) */
  readonly defaultCallbackTimeoutSeconds?: number;
  /** Another object store (e.g. S3-compatible) instead of the downloads folder. */
  readonly objectStore?: ObjectStore;
  /** Another large-file runner; default: a child process running batch-runner. */
  readonly largeFileRunner?: LargeFileRunner;
  /** Program and arguments of the batch-runner CLI. @default `[node, <batch-runner>/dist/cli.js]` */
  readonly batchRunnerCommand?: readonly [string, ...string[]];
  /**
   * Files per batch of the definition. By default one batch is the whole delivery, so the
   * window of `maxConcurrency` files slides over every file (see {@link localDefinitionOptions}).
   * Smaller batches exercise the cloud's shape locally (tests).
   * @default {@link WHOLE_DELIVERY}
   */
  readonly fileBatchSize?: number;
  /** Milliseconds between workflow retries instead of the definition's backoff (tests). */
  readonly retryDelayMs?: number;
  /**
   * fetch-stream's `download` (replaceable for instrumentation). When set, small files are
   * fetched through it on the event loop (no download threads).
   */
  readonly download?: DownloadFunction;
  /**
   * Worker threads that fetch small files into the downloads folder; 0 fetches them on the
   * event loop. Not used with `objectStore` or `download`.
   * @default the number of cores, at most 4
   */
  readonly downloadThreads?: number;
  readonly now?: () => Date;
  /** Diagnostic lines (execution ends, recoveries, runner logs). */
  readonly onLog?: (line: string) => void;
}

/** A delivery registration. */
export interface RegisterDeliveryInput {
  readonly providerId: string;
  readonly projectId?: string;
  readonly label?: string;
  /** Files known up front (already sanitised and policy-checked by the caller). */
  readonly files?: readonly FileSpec[];
  readonly idempotencyKey?: string;
  /** Seconds until the callback deadline. */
  readonly callbackTimeoutSeconds?: number;
}

/** The running local service core. */
export interface LocalRuntime {
  readonly store: DeliveryStore;
  readonly objects: ObjectStore;
  readonly engine: LocalStepFunctionsEngine;
  /** Ids of the deliveries this runtime found unfinished on start and drove on. */
  readonly recovered: readonly string[];
  /** Stores the delivery (idempotent by key) and starts its execution. */
  registerDelivery(input: RegisterDeliveryInput): Promise<CreateResult>;
  /** Records a verified callback and wakes the waiting execution (see `acceptCallback`). */
  acceptCallback(deliveryId: string, incoming: IncomingCallback): Promise<AcceptCallbackResult>;
  /**
   * Resolves with the delivery and every one of its file records once it is terminal (or no
   * execution drives it any more). Reads the whole list once: for tests and scripts; large
   * deliveries are better read through `store.get` (counts) and `store.listFiles` (pages).
   */
  whenSettled(deliveryId: string): Promise<SettledDelivery>;
  /**
   * Stops like a killed process would, minus the mess: executions and downloads are cut where
   * they are (partial files keep their journals), in-flight handlers are awaited, the database
   * is closed. Nothing is finalised; a runtime started on the same folders drives every
   * unfinished delivery on.
   */
  close(): Promise<void>;
}

const MIB = 1024 * 1024;

/** Wraps handlers so `close` can wait for the ones still running before closing the database. */
function trackInFlight<K extends string>(
  handlers: Record<K, LocalTaskHandler>,
  inFlight: Set<Promise<unknown>>,
): Record<K, LocalTaskHandler> {
  const tracked = {} as Record<K, LocalTaskHandler>;
  for (const name of Object.keys(handlers) as K[]) {
    const handler = handlers[name];
    tracked[name] = (input) => {
      const running = handler(input);
      inFlight.add(running);
      void running.then(
        () => inFlight.delete(running),
        () => inFlight.delete(running),
      );
      return running;
    };
  }
  return tracked;
}
/** Re-drives of one delivery per runtime after an execution ended without a terminal status. */
const MAX_REDRIVES = 3;

function profileLookup(profiles: LocalRuntimeConfig['profiles']): ProviderProfiles {
  if (typeof (profiles as ProviderProfiles).get === 'function') return profiles as ProviderProfiles;
  const table = profiles as Readonly<Record<string, PayloadProfile>>;
  return { get: (id) => (Object.hasOwn(table, id) ? table[id] : undefined) };
}

/**
 * Opens the store, wires the engine with the task handlers and drives on every delivery that
 * is not terminal: a delivery whose callback was accepted resumes at ResolveFiles or
 * DownloadFiles; finished files are not fetched again; partial files resume from their journal.
 */
export async function createLocalRuntime(config: LocalRuntimeConfig): Promise<LocalRuntime> {
  // Checked before anything is opened: a bad setting leaves nothing running.
  if (
    config.downloadThreads !== undefined &&
    (!Number.isSafeInteger(config.downloadThreads) || config.downloadThreads < 0)
  ) {
    throw new ConfigError([
      { path: 'downloadThreads', message: `must be a whole number from 0; got ${config.downloadThreads}` },
    ]);
  }
  const now = config.now ?? (() => new Date());
  const log = config.onLog ?? (() => undefined);
  const store = new SqliteDeliveryStore({
    path: join(config.stateDir ?? '.downloader', 'deliveries.sqlite'),
    now,
  });
  const objects = config.objectStore ?? new FileSystemObjectStore(config.downloadsDir ?? 'downloads');
  const largeFiles =
    config.largeFileRunner ??
    new ChildProcessLargeFileRunner({
      command: config.batchRunnerCommand ?? defaultBatchRunnerCommand(),
      ...(config.connections === undefined ? {} : { connections: config.connections }),
      onLog: (line) => log(`batch-runner: ${line}`),
    });
  const settings: ExecutionSettings = {
    maxConcurrency: config.maxConcurrency ?? 4,
    largeFileThreshold: config.largeFileThreshold ?? 64 * MIB,
  };
  const downloadThreads =
    config.objectStore !== undefined || config.download !== undefined
      ? 0
      : (config.downloadThreads ?? Math.min(4, availableParallelism()));
  // Started with the runtime: the threads load their modules before the first delivery needs them.
  const smallFiles =
    downloadThreads > 0
      ? new WorkerThreadSmallFileRunner({ threads: downloadThreads, resolveFrom: import.meta.url })
      : undefined;
  const aborter = new AbortController();
  const ctx: TaskContext = {
    store,
    objects,
    largeFiles,
    profiles: profileLookup(config.profiles),
    download: config.download ?? download,
    ...(smallFiles === undefined ? {} : { smallFiles }),
    signal: aborter.signal,
    now,
    ...(config.connections === undefined ? {} : { connections: config.connections }),
    // Large files run in the batch's window, each in a child process: locally nothing is gained
    // by a second Map, and one slow large file must not hold back small ones either.
    largeFilesInBatch: true,
    ...(config.retryDelayMs === undefined ? {} : { retryDelayMs: config.retryDelayMs }),
    ...(config.minBytesPerSecond === undefined ? {} : { minBytesPerSecond: config.minBytesPerSecond }),
  };
  const redrives = new Map<string, number>();
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  const drive = async (delivery: DeliveryHeader): Promise<void> => {
    if (isTerminalStatus(delivery.status) || closed) return;
    await engine.startExecution(delivery.id, executionInputFor(delivery, settings, now()));
  };

  const onExecutionEnd = (outcome: ExecutionOutcome): void => {
    log(`execution ${outcome.name} ${outcome.status}${outcome.error ? `: ${outcome.error.message}` : ''}`);
    if (closed || outcome.status === 'aborted') return;
    // A safety net for races (a callback accepted as the deadline fired): drive on what is left.
    void store
      .get(outcome.name)
      .then(async (delivery) => {
        if (delivery === undefined || isTerminalStatus(delivery.status)) return;
        const count = (redrives.get(delivery.id) ?? 0) + 1;
        redrives.set(delivery.id, count);
        if (count <= MAX_REDRIVES) await drive(delivery);
      })
      .catch((error: unknown) => log(`re-drive of ${outcome.name} failed: ${String(error)}`));
  };

  const engine = new LocalStepFunctionsEngine({
    definition: buildDeliveryStateMachine(
      localDefinitionOptions(
        config.fileBatchSize === undefined ? {} : { fileBatchSize: config.fileBatchSize },
      ),
    ),
    handlers: trackInFlight(localTaskHandlers(ctx), inFlight),
    registerToken: (deliveryId, token) => registerTaskToken(store, deliveryId, token),
    onExecutionEnd,
    ...(config.retryDelayMs === undefined ? {} : { retryDelayMs: config.retryDelayMs }),
  });

  const recovered: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({
      status: ['awaiting_callback', 'resolving', 'downloading'],
      limit: 500,
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (const delivery of page.items) {
      recovered.push(delivery.id);
      await drive(delivery);
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  if (recovered.length > 0) log(`recovered ${recovered.length} unfinished deliveries`);

  return {
    store,
    objects,
    engine,
    recovered,
    async registerDelivery(input) {
      if (closed) throw new ServiceError('RUNTIME_CLOSED', 'The runtime is closed.');
      const created = now();
      const timeout = input.callbackTimeoutSeconds ?? config.defaultCallbackTimeoutSeconds ?? 86_400;
      const result = await store.create({
        id: mintDeliveryId(),
        providerId: input.providerId,
        ...(input.projectId === undefined ? {} : { projectId: input.projectId }),
        ...(input.label === undefined ? {} : { label: input.label }),
        ...(input.files === undefined ? {} : { files: input.files }),
        ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
        createdAt: created.toISOString(),
        expiresAt: new Date(created.getTime() + timeout * 1000).toISOString(),
      });
      await drive(result.delivery);
      return result;
    },
    acceptCallback: (deliveryId, incoming) => acceptCallback({ store, engine, now }, deliveryId, incoming),
    async whenSettled(deliveryId) {
      for (;;) {
        await engine.whenFinished(deliveryId);
        // A re-drive is scheduled right after an execution ends without a terminal status.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const delivery = await store.get(deliveryId);
        if (delivery === undefined) throw new DeliveryNotFoundError(deliveryId);
        if (isTerminalStatus(delivery.status) || closed || !engine.runningExecutions.includes(deliveryId)) {
          return { ...delivery, files: await allFiles(store, deliveryId) };
        }
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      aborter.abort(new ServiceError('RUNTIME_CLOSED', 'The runtime stopped.'));
      await engine.close();
      await Promise.allSettled([...inFlight]);
      await smallFiles?.close();
      await store.close();
    },
  };
}
