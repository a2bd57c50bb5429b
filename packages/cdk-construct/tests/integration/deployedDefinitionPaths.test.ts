/**
 * Paths of the deployed definition that no happy-path run takes: what a Batch failure retries,
 * and a callback whose token never reached the execution. The definition comes from the
 * synthesized template and runs in the local engine with stub Tasks that record their calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ExecutionOutcome,
  LocalStepFunctionsEngine,
  type LocalTaskHandler,
} from '../../../service/src/adapters/local/engine/LocalStepFunctionsEngine.js';
import type { JsonValue } from '../../../service/src/ports/WorkflowEngine.js';
import type { AslObject } from '../../../service/src/workflow/buildDeliveryStateMachine.js';
import type { TaskName } from '../../../service/src/workflow/taskNames.js';
import { useStubAssets } from '../helpers/stubAssets.js';
import { cleanSynthOutputs, synthesize } from '../helpers/synth.js';
import { resolvedDefinition } from './resolveDefinition.js';

type Obj = { [key: string]: JsonValue };
let definition: AslObject;
let restoreAssets: () => void;

beforeAll(() => {
  restoreAssets = useStubAssets();
  definition = resolvedDefinition(synthesize({}, { nag: false }).template) as AslObject;
});
afterAll(() => {
  restoreAssets();
  cleanSynthOutputs();
});

/** An error as Step Functions names it (the local engine matches on `name`). */
function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/**
 * Stub Tasks: one batch whose one file (index 0) is large, so DownloadSmall hands it to the
 * LargeFiles Map; `downloadLarge` decides what the Batch job does per call.
 */
function run(options: {
  readonly downloadLarge: (call: number) => JsonValue;
  readonly markCallbackTimedOut?: () => JsonValue;
  readonly callbackTimeoutSeconds?: number;
  readonly tokenRegistered?: (token: string) => void;
}) {
  const calls: string[] = [];
  let largeCalls = 0;
  const stub =
    (name: string, answer: (input: Obj) => JsonValue = () => ({})): LocalTaskHandler =>
    async (input) => {
      calls.push(name);
      return answer(input as Obj);
    };
  const handlers: Record<Exclude<TaskName, 'AwaitCallback'>, LocalTaskHandler> = {
    ResolveFiles: stub('ResolveFiles'),
    NextFileChunk: stub('NextFileChunk', () => ({
      batches: [{ fromIndex: 0, toIndex: 1 }],
      nextIndex: 1,
      done: true,
    })),
    ProbeFile: stub('ProbeFile', () => ({ done: false, sizeKnown: true, size: 10 * 2 ** 30 })),
    DownloadSmall: stub('DownloadSmall', () => ({ large: [0] })),
    DownloadLarge: stub('DownloadLarge', () => {
      largeCalls += 1;
      return options.downloadLarge(largeCalls);
    }),
    MarkFileFailed: stub('MarkFileFailed', (input) => {
      calls.push(`error:${String((input.error as Obj).Error)}`);
      return {};
    }),
    Finalize: stub('Finalize', () => ({ status: 'completed' })),
    MarkCallbackTimedOut: stub(
      'MarkCallbackTimedOut',
      options.markCallbackTimedOut ?? (() => ({ status: 'callback_timed_out' })),
    ),
    MarkDeliveryFailed: stub('MarkDeliveryFailed'),
  };
  const outcomes: ExecutionOutcome[] = [];
  const engine = new LocalStepFunctionsEngine({
    definition,
    handlers,
    registerToken: async (_id, token) => {
      options.tokenRegistered?.(token);
      // false: wait for a callback (the stall case), true: the callback came first.
      return options.tokenRegistered === undefined;
    },
    retryDelayMs: 1,
    onExecutionEnd: (outcome) => outcomes.push(outcome),
  });
  const finished = (async () => {
    await engine.startExecution('d1', {
      deliveryId: 'd1',
      resumeFrom: 'await',
      callbackTimeoutSeconds: options.callbackTimeoutSeconds ?? 60,
      maxConcurrency: 1,
      largeFileThreshold: 1024,
    });
    await engine.whenFinished('d1');
    await engine.close();
  })();
  return { calls, outcomes, finished, largeCalls: () => largeCalls };
}

describe('DownloadLarge on the deployed definition', () => {
  it('does not retry a Batch job that failed after its Batch attempts (States.TaskFailed): the file is marked failed once', async () => {
    // Act
    const { calls, finished, largeCalls } = run({
      downloadLarge: () => {
        throw named('States.TaskFailed', 'Essential container in task exited (exit code 65)');
      },
    });
    await finished;

    // Assess: one submit, no Step Functions retry on top of Batch's own attempts.
    expect(largeCalls()).toBe(1);
    expect(calls).toContain('error:States.TaskFailed');
    expect(calls.at(-1)).toBe('Finalize');
  });

  it.each(['Batch.AWSBatchException', 'Batch.ServerException'])(
    'retries a submit that failed with %s and goes on when it then succeeds',
    async (error) => {
      // Act
      const { calls, finished, largeCalls } = run({
        downloadLarge: (call) => {
          if (call === 1) throw named(error, 'Rate exceeded');
          return { Status: 'SUCCEEDED' };
        },
      });
      await finished;

      // Assess
      expect(largeCalls()).toBe(2);
      expect(calls).not.toContain('MarkFileFailed');
      expect(calls.at(-1)).toBe('Finalize');
    },
  );

  it('gives the Task enough time for every Batch attempt and gives up on a Batch client error at once', () => {
    // Prepare
    type Processor = { States: Record<string, Obj> };
    const batch = ((definition.States as Obj).DownloadFiles as Obj).ItemProcessor as Processor;
    const largeFiles = batch.States.LargeFiles as Obj;
    const large = (largeFiles.ItemProcessor as Processor).States.DownloadLarge as Obj;
    const retry = large.Retry as Obj[];

    // Assess: 3 attempts × (12 h + 1 h queue) by default; ClientException (a bad job) is not retried.
    expect(large.TimeoutSeconds).toBe(3 * 13 * 3600);
    expect(retry.flatMap((rule) => rule.ErrorEquals as string[])).toEqual([
      'Downloader.Transient',
      'Batch.AWSBatchException',
      'Batch.ServerException',
    ]);
  });
});

describe('a callback whose task token never reached the execution', () => {
  it('goes on to ResolveFiles at the callback deadline when the delivery is already resolving', async () => {
    // Act: the token is stored but nobody sends it (SendTaskSuccess failed); the deadline passes.
    const { calls, outcomes, finished } = run({
      callbackTimeoutSeconds: 1,
      tokenRegistered: () => undefined,
      markCallbackTimedOut: () => ({ status: 'resolving' }),
      downloadLarge: () => ({ Status: 'SUCCEEDED' }),
    });
    await finished;

    // Assess: the delivery is driven on instead of the execution succeeding with it stuck.
    expect(calls.slice(0, 3)).toEqual(['MarkCallbackTimedOut', 'ResolveFiles', 'NextFileChunk']);
    expect(calls.at(-1)).toBe('Finalize');
    expect(outcomes[0]?.status).toBe('succeeded');
  });

  it('ends after MarkCallbackTimedOut when the delivery really timed out', async () => {
    // Act
    const { calls, finished } = run({
      callbackTimeoutSeconds: 1,
      tokenRegistered: () => undefined,
      downloadLarge: () => ({}),
    });
    await finished;

    // Assess
    expect(calls).toEqual(['MarkCallbackTimedOut']);
  });
});
