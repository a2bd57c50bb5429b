import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCallback } from '../http/helpers/signCallback.js';
import { apiGatewayEvent } from './helpers/apiGatewayEvent.js';
import { emfDuring } from './helpers/captureEmf.js';
import { type DynaliteHandle, startDynalite } from './helpers/startDynalite.js';
import { type FakeAwsJsonApi, startFakeAwsJsonApi } from './helpers/startFakeAwsJsonApi.js';

const SECRET = `whsec_${Buffer.from('a test signing secret of 32 byte').toString('base64')}`;
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme-AbCdEf';
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:deliveries';

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResult>;

let dynamo: DynaliteHandle;
let aws: FakeAwsJsonApi;
let handler: Handler;
const saved = { ...process.env };
/** The next this many SendTaskSuccess calls are throttled (the SDK's own retries included). */
let sendFailures = 0;

beforeAll(async () => {
  // Prepare: DynamoDB (dynalite), Step Functions + Secrets Manager (fake JSON API), and the
  // environment the CDK construct gives the API function.
  dynamo = await startDynalite();
  await dynamo.createTable('deliveries');
  aws = await startFakeAwsJsonApi({
    'AWSStepFunctions.StartExecution': (body) => ({
      body: {
        executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${String(body.name)}`,
        startDate: 0,
      },
    }),
    'AWSStepFunctions.SendTaskSuccess': () => {
      if (sendFailures > 0) {
        sendFailures -= 1;
        return { error: 'ThrottlingException', status: 400 };
      }
      return { body: {} };
    },
    'secretsmanager.GetSecretValue': (body) =>
      body.SecretId === SECRET_ARN
        ? { body: { ARN: SECRET_ARN, SecretString: SECRET } }
        : { error: 'ResourceNotFoundException' },
  });
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    DOWNLOADER_TABLE: 'deliveries',
    DOWNLOADER_BUCKET: 'unused-by-the-api',
    DOWNLOADER_STATE_MACHINE_ARN: STATE_MACHINE,
    DOWNLOADER_DYNAMODB_ENDPOINT: dynamo.endpoint,
    DOWNLOADER_SFN_ENDPOINT: aws.endpoint,
    DOWNLOADER_SECRETS_ENDPOINT: aws.endpoint,
    DOWNLOADER_PUBLIC_BASE_URL: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
    DOWNLOADER_PROVIDERS: JSON.stringify([
      {
        id: 'acme',
        signature: { scheme: 'standard-webhooks', secrets: [{ id: 'k1', value: { env: 'ACME_SECRET' } }] },
        files: { source: 'inline' },
        urlPolicy: { allowedHosts: ['files.acme.example'] },
      },
    ]),
    DOWNLOADER_PROVIDER_SECRET_ARNS: JSON.stringify({ ACME_SECRET: SECRET_ARN }),
  });
  ({ handler } = (await import('../../src/lambda/api.js')) as unknown as { handler: Handler });
});

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await aws.close();
  await dynamo.close();
});

async function call(
  method: string,
  routeKey: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
) {
  const result = await handler(apiGatewayEvent(method, routeKey, path, headers, body));
  return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
}

async function register(): Promise<{ id: string; callbackUrl: string }> {
  const res = await call(
    'POST',
    'POST /deliveries',
    '/deliveries',
    { 'content-type': 'application/json' },
    JSON.stringify({ provider: 'acme' }),
  );
  expect(res.status).toBe(201);
  return res.body as { id: string; callbackUrl: string };
}

const FILES = JSON.stringify({
  files: [{ url: 'https://files.acme.example/a.csv', name: 'a.csv', size: 10 }],
});

describe('API Lambda behind API Gateway (payload 2.0)', () => {
  it('registers a delivery: 201, callback URL on the API, execution started under the delivery id', async () => {
    const { id, callbackUrl } = await register();
    expect(callbackUrl).toBe(`https://abc123.execute-api.eu-west-1.amazonaws.com/callbacks/${id}`);
    const start = aws.calls.find((c) => c.target === 'AWSStepFunctions.StartExecution' && c.body.name === id);
    expect(start?.body.stateMachineArn).toBe(STATE_MACHINE);
    expect(JSON.parse(String(start?.body.input))).toMatchObject({ deliveryId: id, resumeFrom: 'await' });
  });

  it('accepts a signed callback with 202 and hands the waiting task its result', async () => {
    // Prepare: the workflow's AwaitCallback stored its token.
    const { id } = await register();
    const { DynamoDbDeliveryStore } = await import(
      '../../src/adapters/aws/dynamodb/DynamoDbDeliveryStore.js'
    );
    const store = new DynamoDbDeliveryStore({ client: dynamo.client, tableName: 'deliveries' });
    await store.putTaskToken(id, `token-${id}`);
    // Act
    const res = await call(
      'POST',
      'POST /callbacks/{id}',
      `/callbacks/${id}`,
      signCallback(SECRET, FILES, { msgId: 'msg_1' }),
      FILES,
    );
    // Assess
    expect(res.status).toBe(202);
    expect((await store.get(id))?.status).toBe('resolving');
    const success = aws.calls.find(
      (c) => c.target === 'AWSStepFunctions.SendTaskSuccess' && c.body.taskToken === `token-${id}`,
    );
    expect(success).toBeDefined();
  });

  it('answers a duplicate callback with 200, a forged one with 401, an unknown id with 404', async () => {
    const { id } = await register();
    const headers = signCallback(SECRET, FILES, { msgId: 'msg_2' });
    expect((await call('POST', 'POST /callbacks/{id}', `/callbacks/${id}`, headers, FILES)).status).toBe(202);
    expect((await call('POST', 'POST /callbacks/{id}', `/callbacks/${id}`, headers, FILES)).status).toBe(200);
    const { id: other } = await register();
    const forged = signCallback(
      `whsec_${Buffer.from('not the provider secret, 32 byte').toString('base64')}`,
      FILES,
    );
    const refused = await call('POST', 'POST /callbacks/{id}', `/callbacks/${other}`, forged, FILES);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { code: 'bad_signature' } });
    const unknown = await call(
      'POST',
      'POST /callbacks/{id}',
      '/callbacks/AAAAAAAAAAAAAAAAAAAAAA',
      signCallback(SECRET, FILES),
      FILES,
    );
    expect(unknown.status).toBe(404);
  });

  it('reports the status of a delivery', async () => {
    const { id } = await register();
    const res = await call('GET', 'GET /deliveries/{id}', `/deliveries/${id}`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'awaiting_callback' });
  });

  it('accepts an inline list larger than a DynamoDB item even compressed: stored in parts, read back whole', async () => {
    // Prepare: ~850 KB of incompressible names (under the 1 MiB body cap) that stay > 400 KB gzipped.
    const { id } = await register();
    const { DynamoDbDeliveryStore } = await import(
      '../../src/adapters/aws/dynamodb/DynamoDbDeliveryStore.js'
    );
    const store = new DynamoDbDeliveryStore({ client: dynamo.client, tableName: 'deliveries' });
    await store.putTaskToken(id, `token-${id}`);
    const noise = () => randomBytes(75).toString('base64url');
    const huge = JSON.stringify({
      files: Array.from({ length: 3_500 }, () => ({
        url: `https://files.acme.example/${noise()}`,
        name: noise(),
      })),
    });

    // Act
    const res = await call(
      'POST',
      'POST /callbacks/{id}',
      `/callbacks/${id}`,
      signCallback(SECRET, huge, { msgId: 'msg_huge' }),
      huge,
    );

    // Assess
    expect(res.status).toBe(202);
    expect(await store.get(id)).toMatchObject({ status: 'resolving' });
    const stored = await store.getCallback(id);
    expect(stored?.source.kind === 'files' ? stored.source.files.length : 0).toBe(3_500);
    expect(
      aws.calls.some(
        (c) => c.target === 'AWSStepFunctions.SendTaskSuccess' && c.body.taskToken === `token-${id}`,
      ),
    ).toBe(true);
  });

  it('answers 503 when SendTaskSuccess is throttled, and the provider retry re-sends the token (stall -> recovered)', async () => {
    // Prepare: the execution waits; Step Functions throttles every attempt of the first send.
    const { id } = await register();
    const { DynamoDbDeliveryStore } = await import(
      '../../src/adapters/aws/dynamodb/DynamoDbDeliveryStore.js'
    );
    const store = new DynamoDbDeliveryStore({ client: dynamo.client, tableName: 'deliveries' });
    await store.putTaskToken(id, `token-${id}`);
    const headers = signCallback(SECRET, FILES, { msgId: 'msg_throttled' });
    const sends = () =>
      aws.calls.filter(
        (c) => c.target === 'AWSStepFunctions.SendTaskSuccess' && c.body.taskToken === `token-${id}`,
      ).length;
    sendFailures = 3;

    // Act
    const first = await call('POST', 'POST /callbacks/{id}', `/callbacks/${id}`, headers, FILES);
    const failedSends = sends();
    const retry = await call('POST', 'POST /callbacks/{id}', `/callbacks/${id}`, headers, FILES);
    const third = await call('POST', 'POST /callbacks/{id}', `/callbacks/${id}`, headers, FILES);

    // Assess: stored at once, told to retry; the retry's duplicate delivered the token, once.
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ error: { code: 'callback_not_relayed' } });
    expect((await store.get(id))?.status).toBe('resolving');
    expect([retry.status, third.status]).toEqual([200, 200]);
    expect(sends()).toBe(failedSends + 1);
    expect(await store.getTaskToken(id)).toBeUndefined();
  });

  it('counts a refused callback in CallbacksRejected and by reason (EMF)', async () => {
    // Prepare
    const { id } = await register();
    // Act: a forged signature.
    const forged = signCallback(
      `whsec_${Buffer.from('another secret, 32 bytes long!!!').toString('base64')}`,
      FILES,
    );
    const { result: res, records } = await emfDuring(() =>
      call('POST', 'POST /callbacks/{id}', `/callbacks/${id}`, forged, FILES),
    );

    // Assess
    expect(res.status).toBe(401);
    expect(records).toContainEqual(
      expect.objectContaining({ CallbackRejections: 1, Reason: 'bad_signature' }),
    );
    expect(records).toContainEqual(expect.objectContaining({ CallbacksRejected: 1 }));
  });
});
