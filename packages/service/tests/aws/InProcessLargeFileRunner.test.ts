import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessLargeFileRunner } from '../../src/adapters/aws/batch/InProcessLargeFileRunner.js';
import { type Origin, startOrigin } from '../helpers/startOrigin.js';
import { type RunningS3Server, startS3Server } from './helpers/s3Server.js';

// Larger than one 8 MiB S3 part: progress counts bytes in uploaded parts.
const BIG = randomBytes(18 * 1024 * 1024);
let s3: RunningS3Server;
let origin: Origin;
const saved = { ...process.env };

beforeAll(async () => {
  // The SDK's credential chain reads the process environment, as in the container.
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
  s3 = await startS3Server({ buckets: ['files'] });
  // 288 chunks of 64 KiB, 8 ms apart: parts complete, and are reported, well before the end.
  origin = await startOrigin({ '/slow.bin': { body: BIG, chunkDelayMs: 8 } });
});

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await origin.close();
  await s3.close();
});

describe('InProcessLargeFileRunner (the AWS Batch job)', () => {
  it('reports bytes while the download runs, not only at the end', async () => {
    // Prepare
    const runner = new InProcessLargeFileRunner({
      connections: 1,
      progressIntervalMs: 200,
      write: () => undefined,
    });
    const reported: number[] = [];

    // Act
    const result = await runner.run({
      deliveryId: 'd-progress',
      fileIndex: 0,
      url: origin.url('/slow.bin'),
      target: { kind: 's3', bucket: 'files', key: 'd-progress/slow.bin', endpoint: s3.endpoint },
      size: BIG.length,
      urlPolicy: { allowHttp: true, loopbackException: { host: '127.0.0.1', port: origin.port } },
      onProgress: (bytes) => reported.push(bytes),
    });

    // Assess
    expect(result.bytes).toBe(BIG.length);
    expect(reported.some((bytes) => bytes > 0 && bytes < BIG.length)).toBe(true);
    expect(reported.at(-1)).toBe(BIG.length);
  });
});
