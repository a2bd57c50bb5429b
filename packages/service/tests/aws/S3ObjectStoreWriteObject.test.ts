/** S3ObjectStore.writeObject: a streamed object (a large report) goes up as a multipart upload. */
import { createHash } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { type RunningS3Server, startS3Server } from '@downloader/s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../src/adapters/aws/s3/S3ObjectStore.js';

let s3: RunningS3Server;

beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['deliveries'] });
});

afterAll(async () => {
  await s3.close();
});

/** 12 MiB of text in 64 KiB strings, as Finalize hands a report over. */
async function* reportLike(): AsyncGenerator<string> {
  for (let i = 0; i < 192; i += 1) yield `${String(i).padStart(8, '0')}`.repeat(8192);
}

describe('S3ObjectStore.writeObject', () => {
  it('streams chunks into one object, byte for byte, with its content type', async () => {
    const store = new S3ObjectStore({ client: s3.client(), bucket: 'deliveries', prefix: 'p/' });
    const expected = createHash('sha256');
    for await (const chunk of reportLike()) expected.update(chunk);

    await store.writeObject('d1/_delivery.json', reportLike(), 'application/json');

    const stored = await store.getObject('d1/_delivery.json');
    expect(stored?.length).toBe(192 * 65_536);
    expect(
      createHash('sha256')
        .update(stored ?? new Uint8Array())
        .digest('hex'),
    ).toBe(expected.digest('hex'));
    const raw = await s3
      .client()
      .send(new GetObjectCommand({ Bucket: 'deliveries', Key: 'p/d1/_delivery.json' }));
    expect(raw.ContentType).toBe('application/json');
    // More than one part: the document was never sent as one body.
    expect(raw.ETag).toMatch(/-\d+"$/);
  });

  it('writes a small streamed object with one request', async () => {
    const store = new S3ObjectStore({ client: s3.client(), bucket: 'deliveries', prefix: 'p/' });

    await store.writeObject(
      'd2/_delivery.json',
      (async function* () {
        yield '{"files": [';
        yield ']}\n';
      })(),
    );

    expect(Buffer.from((await store.getObject('d2/_delivery.json')) ?? []).toString()).toBe(
      '{"files": []}\n',
    );
  });
});
