/**
 * The reconciler Lambda over dynalite, with Step Functions and EventBridge answered by a loopback
 * fake (the AWS control plane): stuck deliveries are driven on or ended, each with its event and
 * its metrics; deliveries that are fine are left alone.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDeliveryStore } from '../../src/adapters/aws/dynamodb/DynamoDbDeliveryStore.js';
import type { ReconcileReport } from '../../src/recovery/reconcileDeliveries.js';
import { emfDuring } from './helpers/captureEmf.js';
import { type DynaliteHandle, startDynalite } from './helpers/startDynalite.js';
import { type FakeAwsJsonApi, startFakeAwsJsonApi } from './helpers/startFakeAwsJsonApi.js';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:deliveries';
const HOUR = 3_600_000;

let dynamo: DynaliteHandle;
let aws: FakeAwsJsonApi;
let handler: () => Promise<ReconcileReport>;
/** Execution status by delivery id (absent: ExecutionDoesNotExist). */
const executions = new Map<string, string>();
/** Tokens the fake engine still holds (a sent token is gone afterwards). */
const waitingTokens = new Set<string>();
let sendFailures = 0;
const saved = { ...process.env };

beforeAll(async () => {
  dynamo = await startDynalite();
  await dynamo.createTable('deliveries');
  aws = await startFakeAwsJsonApi({
    'AWSStepFunctions.SendTaskSuccess': (body) => {
      if (sendFailures > 0) {
        sendFailures -= 1;
        return { error: 'ServiceUnavailable', status: 503 };
      }
      return waitingTokens.delete(String(body.taskToken)) ? { body: {} } : { error: 'TaskTimedOut' };
    },
    'AWSStepFunctions.DescribeExecution': (body) => {
      const id = String(body.executionArn).split(':').at(-1) ?? '';
      const status = executions.get(id);
      return status === undefined
        ? { error: 'ExecutionDoesNotExist' }
        : { body: { executionArn: body.executionArn, status, startDate: 0, stateMachineArn: STATE_MACHINE } };
    },
    'AWSEvents.PutEvents': () => ({ body: { FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] } }),
  });
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_MAX_ATTEMPTS: '1',
    DOWNLOADER_TABLE: 'deliveries',
    DOWNLOADER_BUCKET: 'unused',
    DOWNLOADER_EVENT_BUS: 'default',
    DOWNLOADER_STATE_MACHINE_ARN: STATE_MACHINE,
    DOWNLOADER_DYNAMODB_ENDPOINT: dynamo.endpoint,
    DOWNLOADER_SFN_ENDPOINT: aws.endpoint,
    DOWNLOADER_EVENTS_ENDPOINT: aws.endpoint,
    DOWNLOADER_STALL_AFTER_MINUTES: '60',
  });
  ({ handler } = (await import('../../src/lambda/reconcile.js')) as unknown as {
    handler: () => Promise<ReconcileReport>;
  });
});

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await aws.close();
  await dynamo.close();
});

/** A store whose clock stands `hoursAgo` in the past: what it writes looks that old. */
function storeAt(hoursAgo: number): DynamoDbDeliveryStore {
  return new DynamoDbDeliveryStore({
    client: dynamo.client,
    tableName: 'deliveries',
    now: () => new Date(Date.now() - hoursAgo * HOUR),
  });
}

async function newDelivery(hoursAgo: number, expiresInHours = 24): Promise<string> {
  const id = randomBytes(16).toString('base64url');
  const at = Date.now() - hoursAgo * HOUR;
  await storeAt(hoursAgo).create({
    id,
    providerId: 'acme',
    createdAt: new Date(at).toISOString(),
    expiresAt: new Date(at + expiresInHours * HOUR).toISOString(),
  });
  return id;
}

/** The callback stored, its token still there: what a failed SendTaskSuccess leaves behind. */
async function stalledAfterCallback(hoursAgo: number): Promise<string> {
  const id = await newDelivery(hoursAgo);
  const store = storeAt(hoursAgo);
  await store.putTaskToken(id, `token-${id}`);
  const recorded = await store.recordCallback(id, {
    dedupeKey: `acme:${id}`,
    bodySha256: '0'.repeat(64),
    receivedAt: new Date(Date.now() - hoursAgo * HOUR).toISOString(),
    callback: { source: { kind: 'files', files: [{ url: 'https://files.example.com/a', name: 'a' }] } },
  });
  expect(recorded.verdict).toBe('new');
  return id;
}

const store = () => storeAt(0);
const putEvents = (id: string) =>
  aws.calls.filter((call) => call.target === 'AWSEvents.PutEvents' && JSON.stringify(call.body).includes(id));

describe('reconciler Lambda', () => {
  it('re-sends the token of a callback whose SendTaskSuccess failed: the execution moves on (stall -> recovered)', async () => {
    // Prepare: stored callback, token never consumed, execution waiting for it.
    const id = await stalledAfterCallback(2);
    waitingTokens.add(`token-${id}`);
    executions.set(id, 'RUNNING');

    // Act
    const { result, records } = await emfDuring(() => handler());

    // Assess: the waiting task got its token, the token is forgotten, the metric says so.
    expect(result.actions).toContainEqual({ deliveryId: id, action: 'resent' });
    expect(waitingTokens.has(`token-${id}`)).toBe(false);
    expect(await store().getTaskToken(id)).toBeUndefined();
    expect(records).toContainEqual(expect.objectContaining({ StalledDeliveries: 1, Action: 'resent' }));
    // Idempotent: the next run finds no token and a running execution, and does nothing.
    const again = await handler();
    expect(again.actions.filter((action) => action.deliveryId === id)).toEqual([]);
  });

  it('keeps the token when Step Functions is still unreachable, and relays it on a later run', async () => {
    // Prepare
    const id = await stalledAfterCallback(2);
    waitingTokens.add(`token-${id}`);
    executions.set(id, 'RUNNING');
    sendFailures = 1_000;

    // Act
    const failed = await handler();
    sendFailures = 0;
    const recovered = await handler();

    // Assess
    expect(failed.relayFailures).toContain(id);
    expect(recovered.actions).toContainEqual({ deliveryId: id, action: 'resent' });
  });

  it('fails a resolving delivery whose execution ended, with WORKFLOW_ENDED, an event and the outcome metric', async () => {
    // Prepare: the token was consumed (deleted) but the execution is over and the delivery is stuck.
    const id = await stalledAfterCallback(2);
    await store().deleteTaskToken(id);
    executions.set(id, 'SUCCEEDED');

    // Act
    const { result, records } = await emfDuring(() => handler());

    // Assess
    expect(result.actions).toContainEqual({ deliveryId: id, action: 'failed' });
    const delivery = await store().get(id);
    expect(delivery?.status).toBe('failed');
    expect(delivery?.error?.code).toBe('WORKFLOW_ENDED');
    expect(putEvents(id)).toHaveLength(1);
    expect(JSON.stringify(putEvents(id)[0]?.body)).toContain('Delivery Failed');
    expect(records).toContainEqual(expect.objectContaining({ DeliveryOutcome: 1, Outcome: 'failed' }));
  });

  it('ends a delivery past its callback deadline whose execution is gone as callback_timed_out', async () => {
    // Prepare: registered 30 h ago with a 24 h deadline; the execution never started.
    const id = await newDelivery(30, 24);

    // Act
    const result = await handler();

    // Assess
    expect(result.actions).toContainEqual({ deliveryId: id, action: 'timed_out' });
    expect((await store().get(id))?.status).toBe('callback_timed_out');
    expect(putEvents(id)).toHaveLength(1);
  });

  it('leaves alone a delivery whose execution still runs and one that changed recently', async () => {
    // Prepare: a long download (old record, execution running) and a fresh callback with its token.
    const longDownload = await stalledAfterCallback(5);
    await store().deleteTaskToken(longDownload);
    executions.set(longDownload, 'RUNNING');
    const fresh = await stalledAfterCallback(0);
    waitingTokens.add(`token-${fresh}`);
    const before = aws.calls.length;

    // Act
    const result = await handler();

    // Assess
    const touched = result.actions.map((action) => action.deliveryId);
    expect(touched).not.toContain(longDownload);
    expect(touched).not.toContain(fresh);
    expect((await store().get(longDownload))?.status).toBe('resolving');
    expect(await store().getTaskToken(fresh)).toBe(`token-${fresh}`);
    const sent = aws.calls.slice(before).filter((call) => call.target === 'AWSStepFunctions.SendTaskSuccess');
    expect(sent.map((call) => call.body.taskToken)).not.toContain(`token-${fresh}`);
  });
});
