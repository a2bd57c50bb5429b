/**
 * The API Lambda behind API Gateway (payload 2.0) answers exactly as the local service does:
 * the same scenario runs against the Hono app on node:http over the local SQLite store and
 * against the Lambda entrypoint over DynamoDB (dynalite); statuses and error codes must match.
 */
import { parseProviderProfile, resolveSecrets } from '@downloader/callback-core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteDeliveryStore } from '../../src/adapters/local/sqlite/SqliteDeliveryStore.js';
import { createApp } from '../../src/http/createApp.js';
import { silentLogger } from '../../src/http/logger.js';
import { type RunningHttpServer, startHttpServer } from '../../src/http/startHttpServer.js';
import { RecordingEngine } from '../http/helpers/RecordingEngine.js';
import { signCallback } from '../http/helpers/signCallback.js';
import { apiGatewayEvent } from './helpers/apiGatewayEvent.js';
import { type DynaliteHandle, startDynalite } from './helpers/startDynalite.js';
import { type FakeAwsJsonApi, startFakeAwsJsonApi } from './helpers/startFakeAwsJsonApi.js';

const SECRET = `whsec_${Buffer.from('a test signing secret of 32 byte').toString('base64')}`;
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme-AbCdEf';
const PROFILE = {
  id: 'acme',
  signature: { scheme: 'standard-webhooks', secrets: [{ id: 'k1', value: { env: 'ACME_SECRET' } }] },
  maxBodyBytes: 4096,
  files: { source: 'inline' },
  urlPolicy: { allowedHosts: ['files.acme.example'] },
};

interface Answer {
  readonly status: number;
  readonly body: { id?: string; status?: string; error?: { code: string } };
}
type Send = (
  method: string,
  route: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
) => Promise<Answer>;

let dynamo: DynaliteHandle;
let aws: FakeAwsJsonApi;
let local: RunningHttpServer;
let sqlite: SqliteDeliveryStore;
const saved = { ...process.env };

beforeAll(async () => {
  dynamo = await startDynalite();
  await dynamo.createTable('deliveries');
  aws = await startFakeAwsJsonApi({
    'AWSStepFunctions.StartExecution': () => ({
      body: { executionArn: 'arn:aws:states:eu-west-1:1:execution:x:y', startDate: 0 },
    }),
    'secretsmanager.GetSecretValue': () => ({ body: { ARN: SECRET_ARN, SecretString: SECRET } }),
  });
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    DOWNLOADER_TABLE: 'deliveries',
    DOWNLOADER_BUCKET: 'unused-by-the-api',
    DOWNLOADER_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:deliveries',
    DOWNLOADER_DYNAMODB_ENDPOINT: dynamo.endpoint,
    DOWNLOADER_SFN_ENDPOINT: aws.endpoint,
    DOWNLOADER_SECRETS_ENDPOINT: aws.endpoint,
    DOWNLOADER_CALLBACK_TIMEOUT_SECONDS: '3600',
    DOWNLOADER_PROVIDERS: JSON.stringify([PROFILE]),
    DOWNLOADER_PROVIDER_SECRET_ARNS: JSON.stringify({ ACME_SECRET: SECRET_ARN }),
  });
  sqlite = new SqliteDeliveryStore({ path: ':memory:' });
  const profile = resolveSecrets(parseProviderProfile(PROFILE), { ACME_SECRET: SECRET });
  local = await startHttpServer(
    createApp({
      store: sqlite,
      engine: new RecordingEngine(),
      providers: new Map([[profile.id, profile]]),
      workflow: { callbackTimeoutSeconds: 3600, maxConcurrency: 8, largeFileThreshold: 512 * 1024 * 1024 },
      logger: silentLogger,
    }),
  );
});

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await local.close();
  await sqlite.close();
  await aws.close();
  await dynamo.close();
});

const viaHttp: Send = async (method, _route, path, headers, body) => {
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
};

const viaLambda: Send = async (method, route, path, headers, body) => {
  const { handler } = (await import('../../src/lambda/api.js')) as unknown as {
    handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResult>;
  };
  const result = await handler(apiGatewayEvent(method, route, path, headers, body));
  return { status: result.statusCode, body: JSON.parse(result.body) as Answer['body'] };
};

/** The scenario; returns `[step, status, error code or delivery status]` per request. */
async function scenario(send: Send): Promise<[string, number, string | undefined][]> {
  const out: [string, number, string | undefined][] = [];
  const note = (step: string, answer: Answer) =>
    out.push([step, answer.status, answer.body.error?.code ?? answer.body.status]);
  const json = { 'content-type': 'application/json' };
  const registered = await send('POST', 'POST /deliveries', '/deliveries', json, '{"provider":"acme"}');
  note('register', registered);
  note(
    'register unknown provider',
    await send('POST', 'POST /deliveries', '/deliveries', json, '{"provider":"nope"}'),
  );
  const id = registered.body.id ?? 'missing';
  const cb = (headers: Record<string, string>, body: string) =>
    send('POST', 'POST /callbacks/{id}', `/callbacks/${id}`, headers, body);
  const files = JSON.stringify({ files: [{ url: 'https://files.acme.example/a.csv', name: 'a.csv' }] });
  const other = JSON.stringify({ files: [{ url: 'https://files.acme.example/b.csv', name: 'b.csv' }] });
  const forgedSecret = `whsec_${Buffer.from('not the provider secret, 32 byte').toString('base64')}`;
  note('forged', await cb(signCallback(forgedSecret, files), files));
  note(
    'stale',
    await cb(signCallback(SECRET, files, { timestamp: new Date(Date.now() - 3_600_000) }), files),
  );
  note('no signature', await cb(json, files));
  note('wrong media type', await cb({ ...signCallback(SECRET, files), 'content-type': 'text/plain' }, files));
  note('too large', await cb(signCallback(SECRET, 'x'.repeat(5000)), 'x'.repeat(5000)));
  note('not JSON', await cb(signCallback(SECRET, 'not json'), 'not json'));
  note('accepted', await cb(signCallback(SECRET, files, { msgId: 'msg_1' }), files));
  note('duplicate', await cb(signCallback(SECRET, files, { msgId: 'msg_1' }), files));
  note('conflict', await cb(signCallback(SECRET, other, { msgId: 'msg_1' }), other));
  note('second callback', await cb(signCallback(SECRET, other, { msgId: 'msg_2' }), other));
  note(
    'unknown id',
    await send(
      'POST',
      'POST /callbacks/{id}',
      '/callbacks/AAAAAAAAAAAAAAAAAAAAAA',
      signCallback(SECRET, files),
      files,
    ),
  );
  note('status', await send('GET', 'GET /deliveries/{id}', `/deliveries/${id}`, {}));
  note('status unknown', await send('GET', 'GET /deliveries/{id}', '/deliveries/AAAAAAAAAAAAAAAAAAAAAA', {}));
  return out;
}

it('answers every request of the scenario with the local service’s status and code', async () => {
  // Act
  const expected = await scenario(viaHttp);
  const actual = await scenario(viaLambda);
  // Assess: identical answers, and the scenario exercises what it claims.
  expect(actual).toEqual(expected);
  expect(expected.map(([step, status]) => `${step} ${status}`)).toEqual([
    'register 201',
    expect.stringMatching(/^register unknown provider 4\d\d$/),
    'forged 401',
    'stale 401',
    'no signature 401',
    'wrong media type 415',
    'too large 413',
    'not JSON 400',
    'accepted 202',
    'duplicate 200',
    'conflict 409',
    'second callback 410',
    'unknown id 404',
    'status 200',
    'status unknown 404',
  ]);
});
