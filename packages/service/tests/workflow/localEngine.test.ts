import { describe, expect, it } from 'vitest';
import {
  LocalStepFunctionsEngine,
  type LocalTaskHandler,
} from '../../src/adapters/local/engine/LocalStepFunctionsEngine.js';
import type { JsonValue } from '../../src/ports/WorkflowEngine.js';
import { buildDeliveryStateMachine } from '../../src/workflow/buildDeliveryStateMachine.js';
import { WorkflowTaskError } from '../../src/workflow/errorNames.js';
import { localResources } from '../../src/workflow/localResources.js';

type Obj = { [key: string]: JsonValue };
const obj = (value: JsonValue): Obj => value as Obj;

/** Stub handlers that log every call: the engine test checks the definition's paths, not the handlers. */
function stubHandlers(probes: Record<number, Obj>) {
  const calls: string[] = [];
  let batchRuns = 0;
  const handler =
    (name: string, fn: (input: Obj) => JsonValue | Promise<JsonValue> = () => ({})): LocalTaskHandler =>
    async (input) => {
      const i = obj(input);
      const at =
        i.index ?? (i.toIndex === undefined ? undefined : `${String(i.fromIndex)}-${String(i.toIndex)}`);
      calls.push(at === undefined ? name : `${name}#${String(at)}`);
      return fn(i);
    };
  const handlers = {
    ResolveFiles: handler('ResolveFiles'),
    NextFileChunk: handler('NextFileChunk', () => ({
      batches: Object.keys(probes).length === 0 ? [] : [{ fromIndex: 0, toIndex: 6 }],
      nextIndex: 6,
      done: true,
    })),
    // The batch fails transiently once (retried as a whole), then leaves its large files to the Map.
    DownloadSmall: handler('DownloadSmall', () => {
      batchRuns += 1;
      if (batchRuns === 1) throw new WorkflowTaskError('transient', 'NETWORK', 'reset');
      return { large: Object.keys(probes).map(Number) };
    }),
    ProbeFile: handler('ProbeFile', (input) => probes[Number(input.index)] ?? {}),
    DownloadLarge: handler('DownloadLarge', (input) => {
      if (Number(input.index) === 1) throw new WorkflowTaskError('permanent', 'HTTP_STATUS', 'HTTP 404');
      return {};
    }),
    MarkFileFailed: handler('MarkFileFailed', (input) => {
      calls.push(`error:${String(obj(input.error ?? null).Error)}`);
      return {};
    }),
    Finalize: handler('Finalize', () => ({ status: 'partially_failed' })),
    MarkCallbackTimedOut: handler('MarkCallbackTimedOut', () => ({ status: 'callback_timed_out' })),
    MarkDeliveryFailed: handler('MarkDeliveryFailed', () => ({ status: 'failed' })),
  };
  return { calls, handlers };
}

function input(callbackTimeoutSeconds: number) {
  return {
    deliveryId: 'd1',
    resumeFrom: 'await' as const,
    callbackTimeoutSeconds,
    maxConcurrency: 2,
    largeFileThreshold: 1000,
  };
}

describe('LocalStepFunctionsEngine running the delivery definition', () => {
  it('waits for the task token, resumes on sendTaskSuccess, retries a batch and routes, retries and catches per large file', async () => {
    const { calls, handlers } = stubHandlers({
      1: { done: false, sizeKnown: true, size: 5000 },
      3: { done: true, sizeKnown: true, size: 5000 },
      5: { done: false, sizeKnown: false, size: 0 },
    });
    const tokens: string[] = [];
    const outcomes: JsonValue[] = [];
    const engine = new LocalStepFunctionsEngine({
      definition: buildDeliveryStateMachine({ resources: localResources() }),
      handlers,
      registerToken: async (_id, token) => {
        tokens.push(token);
        return false;
      },
      onExecutionEnd: (outcome) => outcomes.push(outcome.output ?? outcome.error?.message ?? null),
      retryDelayMs: 1,
    });

    const first = await engine.startExecution('d1', input(60));
    const second = await engine.startExecution('d1', input(60));
    while (tokens.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const unknownToken = await engine.sendTaskSuccess('not-a-token', {});
    const delivered = await engine.sendTaskSuccess(tokens[0] ?? '', { deliveryId: 'd1' });
    await engine.whenFinished('d1');

    expect(first.started).toBe(true);
    expect(second.started).toBe(false);
    expect(unknownToken).toBe(false);
    expect(delivered).toBe(true);
    expect(tokens[0]).toMatch(/^d1\./);
    expect(calls.slice(0, 4)).toEqual([
      'ResolveFiles',
      'NextFileChunk',
      'DownloadSmall#0-6',
      'DownloadSmall#0-6',
    ]);
    expect(calls.filter((c) => c.startsWith('ProbeFile')).sort()).toEqual([
      'ProbeFile#1',
      'ProbeFile#3',
      'ProbeFile#5',
    ]);
    expect(calls.filter((c) => c.startsWith('DownloadLarge')).sort()).toEqual([
      'DownloadLarge#1',
      'DownloadLarge#5',
    ]);
    expect(calls.filter((c) => c.startsWith('MarkFileFailed') || c.startsWith('error:'))).toEqual([
      'MarkFileFailed#1',
      'error:Downloader.Permanent',
    ]);
    expect(calls.at(-1)).toBe('Finalize');
    expect(obj(outcomes[0] ?? null).outcome).toEqual({ status: 'partially_failed' });
  });

  it('ends in MarkCallbackTimedOut when no callback arrives before the deadline', async () => {
    const { calls, handlers } = stubHandlers({});
    const engine = new LocalStepFunctionsEngine({
      definition: buildDeliveryStateMachine({ resources: localResources() }),
      handlers,
      registerToken: async () => false,
    });

    await engine.startExecution('d1', input(1));
    await engine.whenFinished('d1');

    expect(calls).toEqual(['MarkCallbackTimedOut']);
  });

  it('fails the waiting task on sendTaskFailure and ends in MarkDeliveryFailed with that error', async () => {
    const { calls, handlers } = stubHandlers({});
    const tokens: string[] = [];
    const engine = new LocalStepFunctionsEngine({
      definition: buildDeliveryStateMachine({ resources: localResources() }),
      handlers,
      registerToken: async (_id, token) => {
        tokens.push(token);
        return false;
      },
    });

    await engine.startExecution('d1', input(60));
    while (tokens.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const sent = await engine.sendTaskFailure(
      tokens[0] ?? '',
      'Provider.Cancelled',
      'the provider withdrew the order',
    );
    const again = await engine.sendTaskFailure(tokens[0] ?? '', 'Provider.Cancelled', 'twice');
    await engine.whenFinished('d1');

    expect([sent, again]).toEqual([true, false]);
    expect(calls).toEqual(['MarkDeliveryFailed']);
  });

  it('skips the wait when the callback was accepted before the token was stored', async () => {
    const { calls, handlers } = stubHandlers({});
    const engine = new LocalStepFunctionsEngine({
      definition: buildDeliveryStateMachine({ resources: localResources() }),
      handlers,
      registerToken: async () => true,
    });

    await engine.startExecution('d1', input(60));
    await engine.whenFinished('d1');

    expect(calls).toEqual(['ResolveFiles', 'NextFileChunk', 'Finalize']);
  });
});
