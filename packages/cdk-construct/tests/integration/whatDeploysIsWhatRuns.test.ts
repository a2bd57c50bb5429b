/**
 * What deploys is what runs: the definition is taken from the synthesized template and executed
 * by aws-local-stepfunctions (the service's local engine), each Task overridden by the code its
 * Lambda function or Batch job runs, over dynalite (DynamoDB) and the loopback S3 server, with
 * Step Functions' StartExecution / SendTaskSuccess bridged to the local engine.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runDownloadLargeJob } from '../../../service/src/adapters/aws/batch/downloadLargeJob.js';
import { DynamoDbDeliveryStore } from '../../../service/src/adapters/aws/dynamodb/DynamoDbDeliveryStore.js';
import { S3ObjectStore } from '../../../service/src/adapters/aws/s3/S3ObjectStore.js';
import { LocalStepFunctionsEngine } from '../../../service/src/adapters/local/engine/LocalStepFunctionsEngine.js';
import { handler as apiHandler } from '../../../service/src/lambda/api.js';
import { awaitCallbackHandler } from '../../../service/src/lambda/awaitCallbackHandler.js';
import { handler as downloadSmall } from '../../../service/src/lambda/downloadSmall.js';
import { handler as finalize } from '../../../service/src/lambda/finalize.js';
import { handler as markCallbackTimedOut } from '../../../service/src/lambda/markCallbackTimedOut.js';
import { handler as markDeliveryFailed } from '../../../service/src/lambda/markDeliveryFailed.js';
import { handler as markFileFailed } from '../../../service/src/lambda/markFileFailed.js';
import { handler as nextFileChunk } from '../../../service/src/lambda/nextFileChunk.js';
import { handler as probeFile } from '../../../service/src/lambda/probeFile.js';
import { handler as resolveFiles } from '../../../service/src/lambda/resolveFiles.js';
import type { JsonValue } from '../../../service/src/ports/WorkflowEngine.js';
import type { AslObject } from '../../../service/src/workflow/buildDeliveryStateMachine.js';
import type { TaskName } from '../../../service/src/workflow/taskNames.js';
import { apiGatewayEvent } from '../../../service/tests/aws/helpers/apiGatewayEvent.js';
import { type RunningS3Server, startS3Server } from '../../../service/tests/aws/helpers/s3Server.js';
import { type DynaliteHandle, startDynalite } from '../../../service/tests/aws/helpers/startDynalite.js';
import {
  type FakeAwsJsonApi,
  startFakeAwsJsonApi,
} from '../../../service/tests/aws/helpers/startFakeAwsJsonApi.js';
import { type Origin, startOrigin } from '../../../service/tests/helpers/startOrigin.js';
import { signCallback } from '../../../service/tests/http/helpers/signCallback.js';
import { useStubAssets } from '../helpers/stubAssets.js';
import { cleanSynthOutputs, synthesize } from '../helpers/synth.js';
import { resolvedDefinition } from './resolveDefinition.js';

const SECRET = `whsec_${Buffer.from('a test signing secret of 32 byte').toString('base64')}`;
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme-AbCdEf';
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:deliveries';
const FILES = {
  '/a.csv': Buffer.from('id,value\n1,one\n2,two\n'),
  '/b.bin': Buffer.alloc(64 * 1024, 3),
  '/large.bin': Buffer.alloc(3 * 1024 * 1024 + 5, 9),
};

type Handler = (event: JsonValue) => Promise<JsonValue>;
interface Engine {
  startExecution(name: string, input: JsonValue): Promise<unknown>;
  sendTaskSuccess(token: string, output: JsonValue): Promise<boolean>;
  whenFinished(name: string): Promise<void>;
  close(): Promise<void>;
}

let dynamo: DynaliteHandle;
let s3: RunningS3Server;
let origin: Origin;
let aws: FakeAwsJsonApi;
let engine: Engine;
let restoreAssets: () => void;
const outcomes: { name: string; status: string; error?: Error }[] = [];
const events: Record<string, unknown>[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  // Prepare: the deployed definition.
  restoreAssets = useStubAssets();
  const definition = resolvedDefinition(synthesize({}, { nag: false }).template);
  dynamo = await startDynalite();
  await dynamo.createTable('deliveries');
  s3 = await startS3Server({ buckets: ['files'] });
  origin = await startOrigin(
    Object.fromEntries(Object.entries(FILES).map(([path, body]) => [path, { body }])),
  );
  aws = await startFakeAwsJsonApi({
    'AWSStepFunctions.StartExecution': async (body) => {
      await engine.startExecution(String(body.name), JSON.parse(String(body.input)) as JsonValue);
      return { body: { executionArn: `${STATE_MACHINE}:${String(body.name)}`, startDate: 0 } };
    },
    'AWSStepFunctions.SendTaskSuccess': async (body) =>
      (await engine.sendTaskSuccess(String(body.taskToken), JSON.parse(String(body.output)) as JsonValue))
        ? { body: {} }
        : { error: 'TaskDoesNotExist' },
    'secretsmanager.GetSecretValue': () => ({ body: { ARN: SECRET_ARN, SecretString: SECRET } }),
    'AWSEvents.PutEvents': (body) => {
      events.push(...(body.Entries as Record<string, unknown>[]));
      return { body: { FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] } };
    },
  });
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    DOWNLOADER_TABLE: 'deliveries',
    DOWNLOADER_BUCKET: 'files',
    DOWNLOADER_KEY_PREFIX: 'deliveries/',
    DOWNLOADER_EVENT_BUS: 'default',
    DOWNLOADER_STATE_MACHINE_ARN: STATE_MACHINE,
    DOWNLOADER_DYNAMODB_ENDPOINT: dynamo.endpoint,
    DOWNLOADER_S3_ENDPOINT: s3.endpoint,
    DOWNLOADER_SFN_ENDPOINT: aws.endpoint,
    DOWNLOADER_SECRETS_ENDPOINT: aws.endpoint,
    DOWNLOADER_EVENTS_ENDPOINT: aws.endpoint,
    DOWNLOADER_PUBLIC_BASE_URL: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
    DOWNLOADER_MAX_CONCURRENCY: '2',
    DOWNLOADER_LARGE_FILE_THRESHOLD: String(1024 * 1024),
    DOWNLOADER_PROVIDERS: JSON.stringify([
      {
        id: 'acme',
        signature: { scheme: 'standard-webhooks', secrets: [{ id: 'k1', value: { env: 'ACME_SECRET' } }] },
        files: { source: 'inline' },
        urlPolicy: { allowHttp: true, loopbackException: { host: '127.0.0.1', port: origin.port } },
      },
    ]),
    DOWNLOADER_PROVIDER_SECRET_ARNS: JSON.stringify({ ACME_SECRET: SECRET_ARN }),
  });

  // The code each function and the Batch job run (their AWS clients read the environment on first use).
  /** DownloadLarge: the job's environment comes from the definition's ContainerOverrides. */
  const batchJob: Handler = async (input) => {
    const overrides = (input as { ContainerOverrides: { Environment: { Name: string; Value: string }[] } })
      .ContainerOverrides;
    const jobEnv = Object.fromEntries(overrides.Environment.map((entry) => [entry.Name, entry.Value]));
    const code = await runDownloadLargeJob({ ...process.env, ...jobEnv }, new AbortController().signal);
    if (code !== 0) throw Object.assign(new Error(`job exited ${code}`), { name: 'States.TaskFailed' });
    return { Status: 'SUCCEEDED' };
  };
  const handlers: Record<Exclude<TaskName, 'AwaitCallback'>, Handler> = {
    ResolveFiles: resolveFiles,
    NextFileChunk: nextFileChunk,
    ProbeFile: probeFile,
    DownloadSmall: downloadSmall,
    DownloadLarge: batchJob,
    MarkFileFailed: markFileFailed,
    Finalize: finalize,
    MarkCallbackTimedOut: markCallbackTimedOut,
    MarkDeliveryFailed: markDeliveryFailed,
  };
  engine = new LocalStepFunctionsEngine({
    definition: definition as AslObject,
    handlers,
    registerToken: async (deliveryId, token) =>
      !(await awaitCallbackHandler({ deliveryId, taskToken: token })).waiting,
    retryDelayMs: 10,
    onExecutionEnd: (outcome) => outcomes.push(outcome),
  }) as unknown as Engine;
});

afterAll(async () => {
  await engine?.close();
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await aws?.close();
  await origin?.close();
  await s3?.close();
  await dynamo?.close();
  restoreAssets();
  cleanSynthOutputs();
});

it('runs the deployed definition: a signed callback ends with verified objects in S3 and the delivery completed', async () => {
  const api = apiHandler as unknown as (event: unknown) => Promise<{ statusCode: number; body: string }>;
  // Act: register (starts the execution, which stores its task token and waits) …
  const registered = await api(
    apiGatewayEvent(
      'POST',
      'POST /deliveries',
      '/deliveries',
      { 'content-type': 'application/json' },
      '{"provider":"acme"}',
    ),
  );
  expect(registered.statusCode).toBe(201);
  const { id } = JSON.parse(registered.body) as { id: string };
  // The execution's AwaitCallback stores its token (the callback would also win if it came first).
  const store = new DynamoDbDeliveryStore({ client: dynamo.client, tableName: 'deliveries' });
  for (let i = 0; i < 100 && (await store.getTaskToken(id)) === undefined; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // … then the provider's signed callback.
  const body = JSON.stringify({
    files: Object.keys(FILES).map((path) => ({
      url: `http://127.0.0.1:${origin.port}${path}`,
      name: path.slice(1),
    })),
  });
  const accepted = await api(
    apiGatewayEvent('POST', 'POST /callbacks/{id}', `/callbacks/${id}`, signCallback(SECRET, body), body),
  );
  expect(accepted.statusCode).toBe(202);
  await engine.whenFinished(id);

  // Assess: the execution succeeded, the record is completed, every object is byte-identical.
  expect(outcomes.find((outcome) => outcome.name === id)).toMatchObject({ status: 'succeeded' });
  const status = await api(apiGatewayEvent('GET', 'GET /deliveries/{id}', `/deliveries/${id}`, {}));
  const delivery = JSON.parse(status.body) as { status: string; files: { name: string; status: string }[] };
  expect(delivery.status).toBe('completed');
  const bucket = new S3ObjectStore({ client: s3.client(), bucket: 'files', prefix: 'deliveries/' });
  for (const [path, expected] of Object.entries(FILES)) {
    const bytes = (await bucket.getObject(`${id}${path}`)) ?? new Uint8Array();
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      createHash('sha256').update(expected).digest('hex'),
    );
  }
  const report = Buffer.from((await bucket.getObject(`${id}/_delivery.json`)) ?? []).toString('utf8');
  expect(JSON.parse(report)).toMatchObject({ status: 'completed' });
  expect(events).toEqual([
    expect.objectContaining({ Source: 'downloader', DetailType: 'Delivery Completed' }),
  ]);
});
