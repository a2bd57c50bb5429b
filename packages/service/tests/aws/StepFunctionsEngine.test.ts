import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsSettingsError } from '../../src/adapters/aws/AwsSettingsError.js';
import { StepFunctionsEngine } from '../../src/adapters/aws/sfn/StepFunctionsEngine.js';
import { type FakeAwsJsonApi, startFakeAwsJsonApi } from './helpers/startFakeAwsJsonApi.js';

const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:deliveries';
const INPUT = {
  deliveryId: 'd1',
  resumeFrom: 'await',
  callbackTimeoutSeconds: 60,
  maxConcurrency: 2,
  largeFileThreshold: 100,
} as const;

let aws: FakeAwsJsonApi;
let client: SFNClient;

beforeAll(async () => {
  aws = await startFakeAwsJsonApi({
    'AWSStepFunctions.StartExecution': (body) =>
      body.name === 'exists'
        ? { error: 'ExecutionAlreadyExists' }
        : {
            body: {
              executionArn: `arn:aws:states:eu-west-1:123456789012:execution:deliveries:${String(body.name)}`,
              startDate: 0,
            },
          },
    'AWSStepFunctions.SendTaskSuccess': (body) =>
      body.taskToken === 'gone'
        ? { error: 'TaskTimedOut' }
        : body.taskToken === 'bad'
          ? { error: 'InvalidToken' }
          : { body: {} },
    'AWSStepFunctions.SendTaskFailure': (body) =>
      body.taskToken === 'gone' ? { error: 'TaskDoesNotExist' } : { body: {} },
  });
  client = new SFNClient({
    endpoint: aws.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 't', secretAccessKey: 't' },
  });
});

afterAll(async () => {
  client.destroy();
  await aws.close();
});

describe('StepFunctionsEngine', () => {
  it('starts an execution named after the delivery with the input as JSON', async () => {
    const engine = new StepFunctionsEngine({ client, stateMachineArn: ARN });
    const result = await engine.startExecution('d1', INPUT);
    expect(result).toEqual({
      executionId: 'arn:aws:states:eu-west-1:123456789012:execution:deliveries:d1',
      started: true,
    });
    const call = aws.calls.find(
      (c) => c.target === 'AWSStepFunctions.StartExecution' && c.body.name === 'd1',
    );
    expect(JSON.parse(String(call?.body.input))).toEqual(INPUT);
  });

  it('reports an existing execution of the same name as not started', async () => {
    const engine = new StepFunctionsEngine({ client, stateMachineArn: ARN });
    expect(await engine.startExecution('exists', INPUT)).toEqual({
      executionId: 'arn:aws:states:eu-west-1:123456789012:execution:deliveries:exists',
      started: false,
    });
  });

  it('answers false for tokens nobody waits on any more, true otherwise', async () => {
    const engine = new StepFunctionsEngine({ client });
    expect(await engine.sendTaskSuccess('live', { deliveryId: 'd1' })).toBe(true);
    expect(await engine.sendTaskSuccess('gone', {})).toBe(false);
    expect(await engine.sendTaskSuccess('bad', {})).toBe(false);
    expect(await engine.sendTaskFailure('gone', 'Downloader.Permanent', 'x'.repeat(40_000))).toBe(false);
    expect(await engine.sendTaskFailure('live', 'E'.repeat(300), 'cause')).toBe(true);
    const failure = aws.calls.filter((c) => c.target === 'AWSStepFunctions.SendTaskFailure').at(-1);
    expect(String(failure?.body.error)).toHaveLength(256);
  });

  it('refuses to start executions without a state machine ARN', async () => {
    await expect(new StepFunctionsEngine({ client }).startExecution('d1', INPUT)).rejects.toBeInstanceOf(
      AwsSettingsError,
    );
  });
});
