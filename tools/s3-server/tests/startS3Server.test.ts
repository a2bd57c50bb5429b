import { createHash, randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { type S3Backend, startS3Server } from '../src/index.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe.each<S3Backend>(['fauxqs', 's3rver'])('startS3Server(%s)', (backend) => {
  it('stores a PutObject body byte for byte and logs the request', async () => {
    // Prepare
    const server = await startS3Server({ backend });
    const client = server.client();
    const body = randomBytes(100_000);
    try {
      // Act
      await client.send(new PutObjectCommand({ Bucket: 'test-bucket', Key: 'a/b.bin', Body: body }));
      const got = await client.send(new GetObjectCommand({ Bucket: 'test-bucket', Key: 'a/b.bin' }));
      const bytes = await got.Body?.transformToByteArray();

      // Assess
      expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sha(bytes ?? new Uint8Array())).toBe(sha(body));
      expect(server.count('PutObject', 200)).toBe(1);
      expect(server.requests.find((r) => r.operation === 'PutObject')?.path).toBe('/test-bucket/a/b.bin');
    } finally {
      client.destroy();
      await server.close();
    }
  });

  it('assembles a multipart upload and counts UploadPart requests', async () => {
    // Prepare
    const server = await startS3Server({ backend });
    const client = server.client();
    const part1 = randomBytes(5 * 1024 * 1024);
    const part2 = randomBytes(1000);
    try {
      // Act
      const created = await client.send(
        new CreateMultipartUploadCommand({ Bucket: 'test-bucket', Key: 'm' }),
      );
      const etags: string[] = [];
      for (const [i, body] of [part1, part2].entries()) {
        const r = await client.send(
          new UploadPartCommand({
            Bucket: 'test-bucket',
            Key: 'm',
            UploadId: created.UploadId,
            PartNumber: i + 1,
            Body: body,
          }),
        );
        etags.push(r.ETag ?? '');
      }
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'test-bucket',
          Key: 'm',
          UploadId: created.UploadId,
          MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
        }),
      );
      const got = await client.send(new GetObjectCommand({ Bucket: 'test-bucket', Key: 'm' }));
      const bytes = await got.Body?.transformToByteArray();

      // Assess
      expect(sha(bytes ?? new Uint8Array())).toBe(sha(Buffer.concat([part1, part2])));
      expect(server.count('UploadPart', 200)).toBe(2);
      expect(server.count('CompleteMultipartUpload', 200)).toBe(1);
    } finally {
      client.destroy();
      await server.close();
    }
  });
});

describe('intercept', () => {
  it('answers a request instead of the emulator', async () => {
    // Prepare
    const server = await startS3Server();
    const client = server.client();
    server.intercept((_req, res, record) => {
      if (record.operation !== 'PutObject') return false;
      res.writeHead(503, { 'content-type': 'application/xml' });
      res.end('<Error><Code>SlowDown</Code><Message>injected</Message></Error>');
      return true;
    });
    try {
      // Act
      const put = client.send(
        new PutObjectCommand({ Bucket: 'test-bucket', Key: 'x', Body: Buffer.from('x') }),
      );

      // Assess
      await expect(put).rejects.toMatchObject({ name: 'SlowDown' });
      expect(server.count('PutObject', 503)).toBeGreaterThanOrEqual(1);
    } finally {
      client.destroy();
      await server.close();
    }
  });
});
