/**
 * The delivery workflow: the one definition of the state machine (Amazon States Language,
 * JSONPath). The CDK construct deploys it with Lambda/Batch resources; the local runtime runs
 * the same object in the embedded engine with every Task overridden by its handler function.
 */
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { WORKFLOW_ERRORS } from './errorNames.js';
import type { TaskName } from './taskNames.js';

/** A JSON object of the definition. */
export type AslObject = { [key: string]: JsonValue };

/**
 * How one Task is invoked: a resource ARN (a Lambda function; its payload is the Task's
 * parameters), or a full integration (`Resource` + `Parameters` built from the payload, e.g.
 * `arn:aws:states:::batch:submitJob.sync` for DownloadLarge). For AwaitCallback a full
 * integration must keep the payload under `Payload` (the deadline is read from there).
 */
export type TaskResource =
  | string
  | { readonly resource: string; readonly parameters: (payload: AslObject) => AslObject };

/** Options of {@link buildDeliveryStateMachine}. */
export interface DeliveryStateMachineOptions {
  /**
   * The resource of every Task. AwaitCallback's entry is the Lambda function that stores the
   * task token (invoked through `lambda:invoke.waitForTaskToken`).
   */
  readonly resources: Readonly<Record<TaskName, TaskResource>>;
  /** Seconds a small download may take (Lambda's ceiling is 900). @default 900 */
  readonly smallFileTimeoutSeconds?: number;
  /**
   * Seconds a large download may take, all of its runner's own attempts included (on AWS: Batch
   * attempts × the job timeout, plus time in the queue). @default 86 400
   */
  readonly largeFileTimeoutSeconds?: number;
  /**
   * Errors of the large-file runner's own API that a new DownloadLarge attempt may not see, besides
   * `Downloader.Transient` (on AWS: Batch's submit errors, e.g. `Batch.ServerException`). A job that
   * failed after all its attempts (`States.TaskFailed`) is never retried here: its runner already
   * retried it, resuming each time.
   * @default []
   */
  readonly largeFileRetryErrors?: readonly string[];
  /** Attempts of one file download on transient faults (the first one included). @default 4 */
  readonly downloadAttempts?: number;
  /**
   * Files per batch: one DownloadSmall invocation works through the pending files of one index
   * range of this many files. The local runtime passes {@link WHOLE_DELIVERY}: its one batch is
   * the delivery, so its window slides over every file. @default {@link FILE_BATCH_SIZE}
   */
  readonly fileBatchSize?: number;
  /** Batches planned per DownloadFiles round (the Map's items). @default {@link BATCHES_PER_ROUND} */
  readonly batchesPerRound?: number;
  /**
   * Seconds one batch may take. @default `smallFileTimeoutSeconds` (a batch is one Lambda
   * invocation in the cloud)
   */
  readonly batchTimeoutSeconds?: number;
}

/** The waitForTaskToken integration of AwaitCallback. */
export const WAIT_FOR_TASK_TOKEN_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** Files per batch (one DownloadSmall invocation) unless the caller sets another size. */
export const FILE_BATCH_SIZE = 500;

/** Batches per DownloadFiles round: index ranges only, far below the 256 KiB state cap. */
export const BATCHES_PER_ROUND = 20;

/** A batch size that makes one batch of any delivery (the local runtime's setting). */
export const WHOLE_DELIVERY = Number.MAX_SAFE_INTEGER;

/** Seconds for the bookkeeping tasks (store reads/writes, listing, finalising). */
const SHORT_TASK_SECONDS = 300;

const transientRetry = (attempts: number, also: readonly string[] = []): AslObject => ({
  ErrorEquals: [WORKFLOW_ERRORS.transient, ...also],
  IntervalSeconds: 2,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  MaxAttempts: attempts - 1,
  JitterStrategy: 'FULL',
});

function task(
  name: TaskName,
  resource: TaskResource,
  payload: AslObject,
  rest: AslObject,
  timeoutSeconds = SHORT_TASK_SECONDS,
): AslObject {
  const invocation =
    typeof resource === 'string'
      ? { Resource: resource, Parameters: payload }
      : { Resource: resource.resource, Parameters: resource.parameters(payload) };
  return {
    Type: 'Task',
    Comment: `Task ${name}`,
    ...invocation,
    // Explicit everywhere: the embedded engine would otherwise cut every Task at 60 s.
    TimeoutSeconds: timeoutSeconds,
    ...rest,
  };
}

/**
 * Builds the delivery state machine.
 *
 * Execution input: `{ deliveryId, resumeFrom: 'await' | 'resolve' | 'download',
 * callbackTimeoutSeconds, maxConcurrency, largeFileThreshold }` (see `DeliveryExecutionInput`).
 * Only ids and indices travel in state; file lists live in the delivery store.
 */
export function buildDeliveryStateMachine(options: DeliveryStateMachineOptions): AslObject {
  const { resources } = options;
  const attempts = options.downloadAttempts ?? 4;
  const delivery: AslObject = { 'deliveryId.$': '$.deliveryId' };
  const file: AslObject = { 'deliveryId.$': '$.deliveryId', 'index.$': '$.index' };
  const catchToFileFailed = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkFileFailed' }];
  const catchToDeliveryFailed = [
    { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkDeliveryFailed' },
  ];

  const awaitPayload: AslObject = {
    'deliveryId.$': '$.deliveryId',
    'taskToken.$': '$$.Task.Token',
    'callbackTimeoutSeconds.$': '$.Payload.callbackTimeoutSeconds',
  };
  const awaitResource = resources.AwaitCallback;
  const awaitCallback: AslObject = {
    Type: 'Task',
    Comment: 'Stores the task token under the delivery id and waits for the provider callback.',
    Resource: typeof awaitResource === 'string' ? WAIT_FOR_TASK_TOKEN_RESOURCE : awaitResource.resource,
    Parameters:
      typeof awaitResource === 'string'
        ? { FunctionName: awaitResource, Payload: awaitPayload }
        : awaitResource.parameters(awaitPayload),
    // Step Functions reads this path from the state input, the embedded engine from the
    // effective input (after Parameters); SetCallbackDeadline puts the value at the same path
    // in both.
    TimeoutSecondsPath: '$.Payload.callbackTimeoutSeconds',
    ResultPath: null,
    Catch: [
      { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'MarkCallbackTimedOut' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkDeliveryFailed' },
    ],
    Next: 'ResolveFiles',
  };

  // Files the batch left for the large-file runner (an AWS Batch job each in the cloud).
  const largeFileProcessor: AslObject = {
    ProcessorConfig: { Mode: 'INLINE' },
    StartAt: 'ProbeFile',
    States: {
      ProbeFile: task('ProbeFile', resources.ProbeFile, file, {
        ResultPath: '$.probe',
        Retry: [transientRetry(attempts)],
        Catch: catchToFileFailed,
        Next: 'ChooseDownloadPath',
      }),
      ChooseDownloadPath: {
        Type: 'Choice',
        Comment: 'A file finished meanwhile (an earlier run, a re-drive) is not fetched again.',
        Choices: [{ Variable: '$.probe.done', BooleanEquals: true, Next: 'FileDone' }],
        Default: 'DownloadLarge',
      },
      DownloadLarge: task(
        'DownloadLarge',
        resources.DownloadLarge,
        file,
        {
          ResultPath: null,
          Retry: [transientRetry(attempts, options.largeFileRetryErrors)],
          Catch: catchToFileFailed,
          Next: 'FileDone',
        },
        options.largeFileTimeoutSeconds ?? 86_400,
      ),
      MarkFileFailed: task(
        'MarkFileFailed',
        resources.MarkFileFailed,
        { ...file, 'error.$': '$.error' },
        { ResultPath: null, Retry: [transientRetry(attempts)], Next: 'FileDone' },
      ),
      FileDone: { Type: 'Succeed' },
    },
  };

  // One iteration per batch (an index range): DownloadSmall works through its pending files with
  // at most maxConcurrency at once, each file retried and failed on its own, and hands back the
  // files that need the large-file runner.
  const batchProcessor: AslObject = {
    ProcessorConfig: { Mode: 'INLINE' },
    StartAt: 'DownloadSmall',
    States: {
      DownloadSmall: task(
        'DownloadSmall',
        resources.DownloadSmall,
        {
          'deliveryId.$': '$.deliveryId',
          'fromIndex.$': '$.fromIndex',
          'toIndex.$': '$.toIndex',
          'maxConcurrency.$': '$.maxConcurrency',
          'largeFileThreshold.$': '$.largeFileThreshold',
          downloadAttempts: attempts,
        },
        { ResultPath: '$.batch', Retry: [transientRetry(attempts)], Next: 'LargeFiles' },
        options.batchTimeoutSeconds ?? options.smallFileTimeoutSeconds ?? 900,
      ),
      LargeFiles: {
        Type: 'Map',
        Comment: 'One iteration per file of the batch that the large-file runner fetches.',
        ItemsPath: '$.batch.large',
        ItemSelector: {
          'deliveryId.$': '$.deliveryId',
          'index.$': '$$.Map.Item.Value',
          'largeFileThreshold.$': '$.largeFileThreshold',
        },
        MaxConcurrencyPath: '$.maxConcurrency',
        ItemProcessor: largeFileProcessor,
        ResultPath: null,
        End: true,
      },
    },
  };

  return {
    Comment: 'downloader: await the provider callback, resolve the file list, download every file, finalize.',
    StartAt: 'Route',
    States: {
      Route: {
        Type: 'Choice',
        Comment: 'A restarted runtime enters after the step the stored state shows as done.',
        Choices: [
          { Variable: '$.resumeFrom', StringEquals: 'resolve', Next: 'ResolveFiles' },
          { Variable: '$.resumeFrom', StringEquals: 'download', Next: 'StartFileChunks' },
        ],
        Default: 'SetCallbackDeadline',
      },
      SetCallbackDeadline: {
        Type: 'Pass',
        Parameters: { 'callbackTimeoutSeconds.$': '$.callbackTimeoutSeconds' },
        ResultPath: '$.Payload',
        Next: 'AwaitCallback',
      },
      AwaitCallback: awaitCallback,
      ResolveFiles: task('ResolveFiles', resources.ResolveFiles, delivery, {
        ResultPath: null,
        Retry: [transientRetry(attempts)],
        Catch: catchToDeliveryFailed,
        Next: 'StartFileChunks',
      }),
      StartFileChunks: {
        Type: 'Pass',
        Result: { nextIndex: 0 },
        ResultPath: '$.chunk',
        Next: 'NextFileChunk',
      },
      NextFileChunk: task(
        'NextFileChunk',
        resources.NextFileChunk,
        {
          'deliveryId.$': '$.deliveryId',
          'fromIndex.$': '$.chunk.nextIndex',
          batchSize: options.fileBatchSize ?? FILE_BATCH_SIZE,
          maxBatches: options.batchesPerRound ?? BATCHES_PER_ROUND,
        },
        {
          ResultPath: '$.chunk',
          Retry: [transientRetry(attempts)],
          Catch: catchToDeliveryFailed,
          Next: 'DownloadFiles',
        },
      ),
      DownloadFiles: {
        Type: 'Map',
        Comment: 'One iteration per batch of this round (index ranges, never file lists).',
        ItemsPath: '$.chunk.batches',
        ItemSelector: {
          'deliveryId.$': '$.deliveryId',
          'fromIndex.$': '$$.Map.Item.Value.fromIndex',
          'toIndex.$': '$$.Map.Item.Value.toIndex',
          'maxConcurrency.$': '$.maxConcurrency',
          'largeFileThreshold.$': '$.largeFileThreshold',
        },
        // Batches one after another: each one already runs maxConcurrency files at once.
        MaxConcurrency: 1,
        ItemProcessor: batchProcessor,
        ResultPath: null,
        Catch: catchToDeliveryFailed,
        Next: 'MoreFiles',
      },
      MoreFiles: {
        Type: 'Choice',
        Choices: [{ Variable: '$.chunk.done', BooleanEquals: false, Next: 'NextFileChunk' }],
        Default: 'Finalize',
      },
      Finalize: task('Finalize', resources.Finalize, delivery, {
        ResultPath: '$.outcome',
        Retry: [transientRetry(attempts)],
        End: true,
      }),
      MarkCallbackTimedOut: task('MarkCallbackTimedOut', resources.MarkCallbackTimedOut, delivery, {
        ResultPath: '$.outcome',
        Retry: [transientRetry(attempts)],
        Next: 'AfterCallbackDeadline',
      }),
      AfterCallbackDeadline: {
        Type: 'Choice',
        Comment:
          'A callback accepted whose token never reached this execution (a failed SendTaskSuccess) ' +
          'left the delivery resolving: go on with it instead of ending with the delivery stuck.',
        Choices: [{ Variable: '$.outcome.status', StringEquals: 'resolving', Next: 'ResolveFiles' }],
        Default: 'CallbackDeadlinePassed',
      },
      CallbackDeadlinePassed: { Type: 'Succeed' },
      MarkDeliveryFailed: task(
        'MarkDeliveryFailed',
        resources.MarkDeliveryFailed,
        { ...delivery, 'error.$': '$.error' },
        { ResultPath: '$.outcome', Retry: [transientRetry(attempts)], End: true },
      ),
    },
  };
}
