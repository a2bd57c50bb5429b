import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import {
  BATCHES_PER_ROUND,
  buildDeliveryStateMachine,
  FILE_BATCH_SIZE,
  WHOLE_DELIVERY,
} from '../../src/workflow/buildDeliveryStateMachine.js';
import { localResources } from '../../src/workflow/localResources.js';
import { TASK_NAMES } from '../../src/workflow/taskNames.js';

type Node = { [key: string]: unknown };

function walk(value: unknown, visit: (node: Node, path: string) => void, path = '$'): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) walk(item, visit, `${path}[${i}]`);
  } else if (value !== null && typeof value === 'object') {
    visit(value as Node, path);
    for (const [key, child] of Object.entries(value)) walk(child, visit, `${path}.${key}`);
  }
}

function allStates(definition: Node): Map<string, Node> {
  const states = new Map<string, Node>();
  walk(definition, (node) => {
    if (node.States !== undefined && typeof node.States === 'object') {
      for (const [name, state] of Object.entries(node.States as Node)) states.set(name, state as Node);
    }
  });
  return states;
}

describe('buildDeliveryStateMachine', () => {
  const definition = buildDeliveryStateMachine({ resources: localResources() }) as Node;

  it('is a valid States Language definition according to asl-validator', () => {
    // asl-validator writes defaults (QueryLanguage) into what it checks: give it a copy.
    const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('uses JSONPath only: no JSONata query language, Arguments, Output or Assign anywhere', () => {
    const offenders: string[] = [];
    walk(definition, (node, path) => {
      for (const key of ['QueryLanguage', 'Arguments', 'Output', 'Assign']) {
        if (key in node) offenders.push(`${path}.${key}`);
      }
      for (const value of Object.values(node)) {
        if (typeof value === 'string' && value.includes('{%')) offenders.push(path);
      }
    });
    expect(offenders).toEqual([]);
  });

  it('has every Task of TASK_NAMES, each with an explicit timeout, and nothing else as a Task', () => {
    const tasks = [...allStates(definition)].filter(([, state]) => state.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual([...TASK_NAMES].sort());
    for (const [, state] of tasks) {
      expect(state.TimeoutSeconds !== undefined || state.TimeoutSecondsPath !== undefined).toBe(true);
    }
  });

  it('waits for the callback with a task token and a deadline from the input, timing out into MarkCallbackTimedOut', () => {
    const state = allStates(definition).get('AwaitCallback');
    expect(state).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: localResources().AwaitCallback,
        Payload: { 'deliveryId.$': '$.deliveryId', 'taskToken.$': '$$.Task.Token' },
      },
      TimeoutSecondsPath: '$.Payload.callbackTimeoutSeconds',
    });
    expect(state?.Catch).toContainEqual({
      ErrorEquals: ['States.Timeout'],
      ResultPath: '$.error',
      Next: 'MarkCallbackTimedOut',
    });
  });

  it('downloads in batches of index ranges, each one DownloadSmall task, and hands large files to a Map with a retry and a catch per file', () => {
    const states = allStates(definition);
    expect(states.get('NextFileChunk')?.Parameters).toMatchObject({
      batchSize: FILE_BATCH_SIZE,
      maxBatches: BATCHES_PER_ROUND,
    });
    expect(states.get('DownloadFiles')).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.chunk.batches',
      ItemSelector: {
        'fromIndex.$': '$$.Map.Item.Value.fromIndex',
        'toIndex.$': '$$.Map.Item.Value.toIndex',
        'maxConcurrency.$': '$.maxConcurrency',
      },
      MaxConcurrency: 1,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'DownloadSmall' },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkDeliveryFailed' }],
    });
    expect(states.get('DownloadSmall')).toMatchObject({
      Parameters: {
        'fromIndex.$': '$.fromIndex',
        'toIndex.$': '$.toIndex',
        'maxConcurrency.$': '$.maxConcurrency',
        downloadAttempts: 4,
      },
      ResultPath: '$.batch',
      Retry: [expect.objectContaining({ ErrorEquals: ['Downloader.Transient'] })],
      TimeoutSeconds: 900,
      Next: 'LargeFiles',
    });
    expect(states.get('LargeFiles')).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.batch.large',
      MaxConcurrencyPath: '$.maxConcurrency',
      ItemProcessor: { StartAt: 'ProbeFile' },
    });
    for (const name of ['DownloadLarge', 'ProbeFile']) {
      const state = states.get(name);
      expect(state?.Retry).toEqual([expect.objectContaining({ ErrorEquals: ['Downloader.Transient'] })]);
      expect(state?.Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkFileFailed' },
      ]);
    }
    // A round's items are ranges: twenty of them stay far below the 256 KiB state payload cap.
    const round = Array.from({ length: BATCHES_PER_ROUND }, () => ({
      fromIndex: WHOLE_DELIVERY,
      toIndex: WHOLE_DELIVERY,
    }));
    expect(JSON.stringify(round).length).toBeLessThan(2 * 1024);
  });

  it('substitutes full integrations given as resource objects (e.g. Batch for large files)', () => {
    const withBatch = buildDeliveryStateMachine({
      resources: {
        ...localResources(),
        DownloadLarge: {
          resource: 'arn:aws:states:::batch:submitJob.sync',
          parameters: (payload) => ({
            JobName: 'large-file',
            JobQueue: 'q',
            JobDefinition: 'd',
            Parameters: payload,
          }),
        },
      },
    }) as Node;
    const state = allStates(withBatch).get('DownloadLarge');
    expect(state).toMatchObject({
      Resource: 'arn:aws:states:::batch:submitJob.sync',
      Parameters: {
        JobName: 'large-file',
        Parameters: { 'deliveryId.$': '$.deliveryId', 'index.$': '$.index' },
      },
    });
    expect(aslValidator(withBatch, { checkPaths: true, checkArn: true }).isValid).toBe(true);
  });
});

describe('the local runtime', () => {
  it('runs the definition buildDeliveryStateMachine builds, differing from the default only in batch size and batch timeout', async () => {
    const { createLocalRuntime } = await import('../../src/runtime/createLocalRuntime.js');
    const { localDefinitionOptions } = await import('../../src/runtime/localDefinitionOptions.js');
    const { makeTempDir } = await import('../helpers/tempDir.js');
    const dir = await makeTempDir();
    const runtime = await createLocalRuntime({
      stateDir: `${dir.path}/state`,
      downloadsDir: `${dir.path}/downloads`,
      profiles: {},
    });
    try {
      const local = runtime.engine.definition as Node;
      expect(local).toEqual(buildDeliveryStateMachine(localDefinitionOptions()));
      const localStates = allStates(local);
      expect(localStates.get('NextFileChunk')?.Parameters).toMatchObject({ batchSize: WHOLE_DELIVERY });
      // Put the two local settings back to the defaults: what is left is the default definition.
      const asDefault = structuredClone(local);
      const reset = allStates(asDefault);
      (reset.get('NextFileChunk')?.Parameters as Node).batchSize = FILE_BATCH_SIZE;
      (reset.get('DownloadSmall') as Node).TimeoutSeconds = 900;
      expect(asDefault).toEqual(buildDeliveryStateMachine({ resources: localResources() }));
    } finally {
      await runtime.close();
      await dir.remove();
    }
  });
});
