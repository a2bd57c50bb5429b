import { createHash, randomBytes } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { crc32c } from '@downloader/fetch-stream';
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
  origin = await startOrigin({
    '/slow.bin': { body: BIG, chunkDelayMs: 8 },
    '/plain.bin': { body: BIG.subarray(0, 6 * 1024 * 1024) },
  });
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

  it.each([
    ['md5', { md5: 'ab'.repeat(16) }],
    ['crc32c', { crc32c: 'deadbeef' }],
  ] as const)(
    'fails for good (exit 66) and publishes nothing when the provider declared a different %s',
    async (name, expected) => {
      // Prepare
      const runner = new InProcessLargeFileRunner({
        connections: 2,
        progressIntervalMs: 0,
        write: () => undefined,
      });
      const key = `d-sums/${name}.bin`;

      // Act
      const failure = await runner
        .run({
          deliveryId: 'd-sums',
          fileIndex: 0,
          url: origin.url('/plain.bin'),
          target: { kind: 's3', bucket: 'files', key, endpoint: s3.endpoint },
          expected,
          urlPolicy: { allowHttp: true, loopbackException: { host: '127.0.0.1', port: origin.port } },
        })
        .catch((error: unknown) => error);

      // Assess
      expect(failure).toMatchObject({
        retryable: false,
        exitCode: 66,
        message: expect.stringContaining('CHECKSUM_MISMATCH'),
      });
      const listed = await s3.client().send(new ListObjectsV2Command({ Bucket: 'files', Prefix: key }));
      expect(listed.KeyCount ?? 0).toBe(0);
    },
  );

  it('publishes the object when every declared checksum (sha256, md5, crc32c) matches', async () => {
    // Prepare
    const bytes = BIG.subarray(0, 6 * 1024 * 1024);
    const runner = new InProcessLargeFileRunner({
      connections: 2,
      progressIntervalMs: 0,
      write: () => undefined,
    });

    // Act
    const result = await runner.run({
      deliveryId: 'd-sums',
      fileIndex: 1,
      url: origin.url('/plain.bin'),
      target: { kind: 's3', bucket: 'files', key: 'd-sums/ok.bin', endpoint: s3.endpoint },
      expected: {
        sha256: createHash('sha256').update(bytes).digest('hex'),
        md5: createHash('md5').update(bytes).digest('hex'),
        crc32c: crc32c(bytes).toString(16).padStart(8, '0'),
      },
      urlPolicy: { allowHttp: true, loopbackException: { host: '127.0.0.1', port: origin.port } },
    });

    // Assess
    expect(result).toEqual({ bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  });
});
