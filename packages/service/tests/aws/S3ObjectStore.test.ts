import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { download } from '@downloader/fetch-stream';
import { type RunningS3Server, startS3Server } from '@downloader/s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../src/adapters/aws/s3/S3ObjectStore.js';
import { ObjectKeyError } from '../../src/domain/errors.js';

let s3: RunningS3Server;
let origin: Server;
let originUrl: string;
const BODY = Buffer.alloc(3 * 1024 * 1024 + 17, 7);

beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['deliveries'] });
  origin = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': String(BODY.length), 'content-type': 'application/octet-stream' });
    res.end(BODY);
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/file.bin`;
});

afterAll(async () => {
  await s3.close();
  await new Promise<void>((resolve) => origin.close(() => resolve()));
});

function storeFor(prefix: string): S3ObjectStore {
  return new S3ObjectStore({ client: s3.client(), bucket: 'deliveries', prefix, endpoint: s3.endpoint });
}

describe('S3ObjectStore', () => {
  it('writes, reads and sizes whole objects under the prefix', async () => {
    // Prepare
    const store = storeFor('deliveries/');
    // Act
    await store.putObject('d1/_delivery.json', '{"status":"completed"}', 'application/json');
    // Assess
    expect(Buffer.from((await store.getObject('d1/_delivery.json')) ?? []).toString()).toBe(
      '{"status":"completed"}',
    );
    expect(await store.headObject('d1/_delivery.json')).toEqual({ size: 22 });
    const raw = await s3
      .client()
      .send(new GetObjectCommand({ Bucket: 'deliveries', Key: 'deliveries/d1/_delivery.json' }));
    expect(raw.ContentType).toBe('application/json');
  });

  it('answers undefined for objects that do not exist', async () => {
    const store = storeFor('deliveries/');
    expect(await store.getObject('d1/missing.bin')).toBeUndefined();
    expect(await store.headObject('d1/missing.bin')).toBeUndefined();
  });

  it('refuses keys that could leave the delivery prefix', () => {
    const store = storeFor('deliveries/');
    for (const key of ['', '../x', 'd1/../../x', 'd1//x', 'd1/./x', 'd1\\x', 'a\0b']) {
      expect(() => store.targetFor(key)).toThrow(ObjectKeyError);
    }
  });

  it('names the S3 target of an out-of-process writer', () => {
    expect(storeFor('p/').targetFor('d1/big.bin')).toEqual({
      kind: 's3',
      bucket: 'deliveries',
      key: 'p/d1/big.bin',
      endpoint: s3.endpoint,
    });
  });

  it('downloads through its sink into the bucket, byte for byte', async () => {
    const store = storeFor('deliveries/');
    await download(originUrl, { sink: store.createSink('d2/file.bin') });
    const stored = await store.getObject('d2/file.bin');
    expect(
      createHash('sha256')
        .update(stored ?? new Uint8Array())
        .digest('hex'),
    ).toBe(createHash('sha256').update(BODY).digest('hex'));
  });

  it('hashes an object by streaming it, or takes the sha256 the sink recorded at verification', async () => {
    // Prepare: one object without metadata, one whose recorded sha256 is what the sink wrote.
    const store = storeFor('deliveries/');
    await store.putObject('d-hash/plain.bin', BODY);
    const recorded = 'ab'.repeat(32);
    await s3.client().send(
      new PutObjectCommand({
        Bucket: 'deliveries',
        Key: 'deliveries/d-hash/verified.bin',
        Body: BODY,
        Metadata: { sha256: recorded },
      }),
    );
    const gets = () => s3.count('GetObject');
    const before = gets();

    // Act
    const plain = await store.hashObject('d-hash/plain.bin');
    const afterPlain = gets();
    const verified = await store.hashObject('d-hash/verified.bin');
    const missing = await store.hashObject('d-hash/none.bin');

    // Assess: the digest of the bytes; the recorded one without a GET; nothing for a missing key.
    expect(plain).toEqual({ size: BODY.length, sha256: createHash('sha256').update(BODY).digest('hex') });
    expect(afterPlain).toBe(before + 1);
    expect(verified).toEqual({ size: BODY.length, sha256: recorded });
    expect(gets()).toBe(afterPlain);
    expect(missing).toBeUndefined();
  });
});
