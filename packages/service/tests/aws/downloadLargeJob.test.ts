import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDownloadLargeJob } from '../../src/adapters/aws/batch/downloadLargeJob.js';
import { DynamoDbDeliveryStore } from '../../src/adapters/aws/dynamodb/DynamoDbDeliveryStore.js';
import { S3ObjectStore } from '../../src/adapters/aws/s3/S3ObjectStore.js';
import { type Origin, startOrigin } from '../helpers/startOrigin.js';
import { type RunningS3Server, startS3Server } from './helpers/s3Server.js';
import { type DynaliteHandle, startDynalite } from './helpers/startDynalite.js';

const BIG = Buffer.alloc(2 * 1024 * 1024 + 3, 5);
let dynamo: DynaliteHandle;
let s3: RunningS3Server;
let origin: Origin;
/** A loopback server the provider's policy does not allow (another port). */
let inner: Origin;
let store: DynamoDbDeliveryStore;
let env: Record<string, string>;
// The SDK's region and credential chain read the process environment, as in the container.
const saved = { ...process.env };

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
  dynamo = await startDynalite();
  await dynamo.createTable('deliveries');
  s3 = await startS3Server({ buckets: ['files'] });
  inner = await startOrigin({ '/secret.bin': { body: BIG } });
  origin = await startOrigin({
    '/big.bin': { body: BIG },
    '/busy.bin': { body: BIG, status: 503 },
    '/to-inner.bin': { body: Buffer.alloc(0), redirectTo: inner.url('/secret.bin') },
  });
  store = new DynamoDbDeliveryStore({ client: dynamo.client, tableName: 'deliveries' });
  // The job definition's environment, as the CDK construct sets it (plus emulator endpoints).
  env = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    DOWNLOADER_TABLE: 'deliveries',
    DOWNLOADER_BUCKET: 'files',
    DOWNLOADER_KEY_PREFIX: 'deliveries/',
    DOWNLOADER_DYNAMODB_ENDPOINT: dynamo.endpoint,
    DOWNLOADER_S3_ENDPOINT: s3.endpoint,
    DOWNLOADER_PROVIDERS: JSON.stringify([
      {
        id: 'acme',
        signature: { scheme: 'none', requireCapabilityUrl: true },
        capabilityUrl: true,
        files: { source: 'inline' },
        urlPolicy: { allowHttp: true, loopbackException: { host: '127.0.0.1', port: origin.port } },
      },
    ]),
  };
  await store.create({
    id: 'job-delivery',
    providerId: 'acme',
    createdAt: '2026-11-27T09:00:00.000Z',
    expiresAt: '2026-12-04T09:00:00.000Z',
    files: [
      { url: `http://127.0.0.1:${origin.port}/big.bin`, name: 'big.bin' },
      { url: `http://127.0.0.1:${origin.port}/missing.bin`, name: 'missing.bin' },
      { url: `http://127.0.0.1:${origin.port}/busy.bin`, name: 'busy.bin' },
      { url: `http://127.0.0.1:${origin.port}/to-inner.bin`, name: 'inner.bin' },
    ],
  });
  await store.transition('job-delivery', ['awaiting_callback'], 'downloading');
});

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await origin.close();
  await inner.close();
  await s3.close();
  await dynamo.close();
});

const job = (index: number) =>
  runDownloadLargeJob(
    { ...env, DOWNLOADER_DELIVERY_ID: 'job-delivery', DOWNLOADER_FILE_INDEX: String(index) },
    new AbortController().signal,
  );

describe('the DownloadLarge Batch job', () => {
  it('downloads the file into S3, records it completed and exits 0', async () => {
    expect(await job(0)).toBe(0);
    const objects = new S3ObjectStore({ client: s3.client(), bucket: 'files', prefix: 'deliveries/' });
    const stored = (await objects.getObject('job-delivery/big.bin')) ?? new Uint8Array();
    const sha256 = createHash('sha256').update(BIG).digest('hex');
    expect(createHash('sha256').update(stored).digest('hex')).toBe(sha256);
    expect(await store.getFile('job-delivery', 0)).toMatchObject({
      status: 'completed',
      bytes: BIG.length,
      sha256,
      route: 'large',
      attempts: 1,
    });
  });

  it('exits 65 (final: Batch does not retry) for a source that refuses the file for good', async () => {
    expect(await job(1)).toBe(65);
    expect((await store.getFile('job-delivery', 1))?.error?.code).toBeDefined();
  });

  it('exits 75 (Batch retries) for a transient source failure', async () => {
    expect(await job(2)).toBe(75);
  });

  it('exits 75 when stopped by SIGTERM (the next attempt resumes)', async () => {
    const controller = new AbortController();
    controller.abort(new Error('SIGTERM'));
    const code = await runDownloadLargeJob(
      { ...env, DOWNLOADER_DELIVERY_ID: 'job-delivery', DOWNLOADER_FILE_INDEX: '2' },
      controller.signal,
    );
    expect(code).toBe(75);
  });

  it("refuses a redirect to an address outside the provider's URL policy: exit 65, nothing stored", async () => {
    expect(await job(3)).toBe(65);
    const file = await store.getFile('job-delivery', 3);
    expect(file?.error?.message).toContain('BLOCKED_ADDRESS');
    expect(inner.gets('/secret.bin')).toBe(0);
    const objects = new S3ObjectStore({ client: s3.client(), bucket: 'files', prefix: 'deliveries/' });
    expect(await objects.headObject('job-delivery/inner.bin')).toBeUndefined();
  });
});
