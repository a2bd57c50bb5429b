import { crc32 } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc32ToBase64 } from '../../src/s3/crc32Combine.js';
import { S3MultipartWriter } from '../../src/s3/S3MultipartWriter.js';
import { journalKeyFor, readJournal } from '../../src/s3/S3UploadJournal.js';
import { uploadStreamToS3 } from '../../src/s3/uploadStreamToS3.js';
import {
  chunked,
  failingAfter,
  metadataOf,
  randomPayload,
  readObject,
  sha256Of,
} from './helpers/byteSources.js';
import { type RunningS3Server, startS3Server } from './helpers/s3TestServer.js';

const MIB = 1024 * 1024;
const Bucket = 'test-bucket';

let server: RunningS3Server;
let client: S3Client;

beforeEach(async () => {
  server = await startS3Server({ backend: 'fauxqs' });
  client = server.client();
});

afterEach(async () => {
  client.destroy();
  await server.close();
});

describe('uploadStreamToS3 — small objects', () => {
  it('stores a small object with one PutObject carrying its length, CRC-32 and sha256', async () => {
    // Prepare
    const { bytes, sha256 } = randomPayload(300_000);

    // Act
    const result = await uploadStreamToS3({
      client,
      bucket: Bucket,
      key: 'small.bin',
      size: bytes.length,
      source: chunked(bytes),
    });

    // Assess
    const stored = await readObject(client, Bucket, 'small.bin');
    expect(sha256Of(stored ?? Buffer.alloc(0))).toBe(sha256);
    expect(result).toMatchObject({ bytes: bytes.length, sha256, parts: 0, sha256Recorded: 'metadata' });
    expect(await metadataOf(client, Bucket, 'small.bin')).toMatchObject({ sha256 });
    const put = server.requests.find(
      (r) => r.operation === 'PutObject' && r.path === '/test-bucket/small.bin',
    );
    expect(put?.headers['content-length']).toBe(String(bytes.length));
    expect(put?.headers['x-amz-checksum-crc32']).toBe(crc32ToBase64(crc32(bytes)));
    expect(server.count('CreateMultipartUpload')).toBe(0);
  });

  it('writes nothing when a small object does not match the expected sha256', async () => {
    // Prepare
    const { bytes } = randomPayload(1000);

    // Act
    const upload = uploadStreamToS3({
      client,
      bucket: Bucket,
      key: 'bad.bin',
      source: chunked(bytes),
      expectedSha256: '0'.repeat(64),
    });

    // Assess
    await expect(upload).rejects.toMatchObject({ code: 'S3_VERIFICATION_FAILED' });
    expect(await readObject(client, Bucket, 'bad.bin')).toBeUndefined();
  });
});

describe('uploadStreamToS3 — multipart', () => {
  it('round-trips a multipart object of known size byte for byte, with part and full-object CRC-32', async () => {
    // Prepare
    const { bytes, sha256 } = randomPayload(3 * 8 * MIB + 12_345);

    // Act
    const result = await uploadStreamToS3({
      client,
      bucket: Bucket,
      key: 'big/known.bin',
      size: bytes.length,
      source: chunked(bytes),
    });

    // Assess
    const stored = await readObject(client, Bucket, 'big/known.bin');
    expect(sha256Of(stored ?? Buffer.alloc(0))).toBe(sha256);
    expect(result).toMatchObject({
      bytes: bytes.length,
      sha256,
      parts: 4,
      uploadedParts: 4,
      resumedBytes: 0,
    });
    expect(result.crc32).toBe(crc32ToBase64(crc32(bytes)));
    expect(await metadataOf(client, Bucket, 'big/known.bin')).toMatchObject({ sha256 });
    const uploads = server.requests.filter((r) => r.operation === 'UploadPart');
    expect(uploads).toHaveLength(4);
    const part1 = uploads.find((r) => r.query.partNumber === '1');
    expect(part1?.headers['x-amz-checksum-crc32']).toBe(crc32ToBase64(crc32(bytes.subarray(0, 8 * MIB))));
    const complete = server.requests.find((r) => r.operation === 'CompleteMultipartUpload');
    expect(complete?.headers['x-amz-checksum-crc32']).toBe(result.crc32);
    expect(complete?.headers['x-amz-checksum-type']).toBe('FULL_OBJECT');
    expect(await readObject(client, Bucket, journalKeyFor('big/known.bin'))).toBeUndefined();
  });

  it('records the sha256 in the result only when the metadata copy is turned off', async () => {
    const { bytes, sha256 } = randomPayload(2 * 5 * MIB + 3);
    const result = await uploadStreamToS3({
      client,
      bucket: Bucket,
      key: 'no-copy.bin',
      size: bytes.length,
      minPartSize: 5 * MIB,
      sha256MetadataCopy: false,
      source: chunked(bytes),
    });
    expect(result).toMatchObject({ sha256, sha256Recorded: 'result-only' });
    expect(server.count('CopyObject')).toBe(0);
    expect(await metadataOf(client, Bucket, 'no-copy.bin')).not.toHaveProperty('sha256');
  });

  it('round-trips a stream of unknown size', async () => {
    // Prepare
    const { bytes, sha256 } = randomPayload(2 * 8 * MIB + 1);

    // Act
    const result = await uploadStreamToS3({
      client,
      bucket: Bucket,
      key: 'unknown.bin',
      source: chunked(bytes),
    });

    // Assess
    expect(sha256Of((await readObject(client, Bucket, 'unknown.bin')) ?? Buffer.alloc(0))).toBe(sha256);
    expect(result).toMatchObject({ bytes: bytes.length, parts: 3 });
  });

  it('never holds more part bytes than its memory budget', async () => {
    // Prepare
    const { bytes, sha256 } = randomPayload(6 * 5 * MIB);
    const budget = 2 * 5 * MIB;
    let writer: S3MultipartWriter | undefined;

    // Act
    const result = await uploadStreamToS3({
      client,
      bucket: Bucket,
      key: 'budget.bin',
      size: bytes.length,
      minPartSize: 5 * MIB,
      concurrency: 4,
      memoryBudget: budget,
      source: chunked(bytes),
      onWriter: (w) => {
        writer = w;
      },
    });

    // Assess
    expect(result.sha256).toBe(sha256);
    expect(writer?.memoryBudget).toBe(budget);
    expect(result.peakBufferedBytes).toBeGreaterThan(0);
    expect(result.peakBufferedBytes).toBeLessThanOrEqual(budget);
  });

  it('refuses a budget smaller than one part with a typed error', async () => {
    const { bytes } = randomPayload(2 * 5 * MIB + 1);
    const upload = uploadStreamToS3({
      client,
      bucket: Bucket,
      key: 'tiny-budget.bin',
      size: bytes.length,
      minPartSize: 5 * MIB,
      memoryBudget: MIB,
      source: chunked(bytes),
    });
    await expect(upload).rejects.toMatchObject({ code: 'S3_BUDGET_TOO_SMALL' });
  });

  it('aborts and leaves no object when the bytes do not match the expected sha256', async () => {
    // Prepare
    const { bytes } = randomPayload(2 * 5 * MIB + 10);

    // Act
    const upload = uploadStreamToS3({
      client,
      bucket: Bucket,
      key: 'wrong.bin',
      size: bytes.length,
      minPartSize: 5 * MIB,
      expectedSha256: 'ab'.repeat(32),
      source: chunked(bytes),
    });

    // Assess
    await expect(upload).rejects.toMatchObject({ code: 'S3_VERIFICATION_FAILED' });
    expect(await readObject(client, Bucket, 'wrong.bin')).toBeUndefined();
    expect(await readObject(client, Bucket, journalKeyFor('wrong.bin'))).toBeUndefined();
    expect(server.count('AbortMultipartUpload', 204)).toBe(1);
    expect(server.count('CompleteMultipartUpload')).toBe(0);
  });

  it('aborts when the source ends in the middle of a part', async () => {
    const { bytes } = randomPayload(12 * MIB);
    const upload = uploadStreamToS3({
      client,
      bucket: Bucket,
      key: 'cut.bin',
      size: 20 * MIB,
      minPartSize: 5 * MIB,
      source: chunked(bytes),
    });
    await expect(upload).rejects.toMatchObject({ code: 'S3_VERIFICATION_FAILED' });
    expect(await readObject(client, Bucket, 'cut.bin')).toBeUndefined();
    expect(await readObject(client, Bucket, journalKeyFor('cut.bin'))).toBeUndefined();
    expect(server.count('AbortMultipartUpload', 204)).toBe(1);
  });

  it('aborts when the source sends fewer bytes than its declared size', async () => {
    const { bytes } = randomPayload(3 * 5 * MIB);
    const upload = uploadStreamToS3({
      client,
      bucket: Bucket,
      key: 'short.bin',
      size: bytes.length + 100,
      minPartSize: 5 * MIB,
      source: chunked(bytes),
    });
    await expect(upload).rejects.toMatchObject({ code: 'S3_VERIFICATION_FAILED' });
    expect(await readObject(client, Bucket, 'short.bin')).toBeUndefined();
    expect(server.count('CompleteMultipartUpload')).toBe(0);
  });
});

describe('uploadStreamToS3 — resume', () => {
  const size = 6 * 5 * MIB + 777;
  const options = { bucket: Bucket, key: 'resume.bin', size, minPartSize: 5 * MIB, concurrency: 2 } as const;

  it('continues the same upload after a failure without uploading finished parts again', async () => {
    // Prepare
    const { bytes, sha256 } = randomPayload(size);
    const first = uploadStreamToS3({ ...options, client, source: failingAfter(bytes, 3 * 5 * MIB + 99) });
    await expect(first).rejects.toMatchObject({ code: 'ECONNRESET' });
    const journal = await readJournal(client, Bucket, 'resume.bin');
    const partsBefore = server.count('UploadPart', 200);

    // Act
    const result = await uploadStreamToS3({ ...options, client, source: chunked(bytes) });

    // Assess
    expect(journal?.parts.length).toBe(3);
    expect(sha256Of((await readObject(client, Bucket, 'resume.bin')) ?? Buffer.alloc(0))).toBe(sha256);
    expect(result).toMatchObject({ sha256, parts: 7, uploadedParts: 4, resumedBytes: 3 * 5 * MIB });
    expect(partsBefore + server.count('UploadPart', 200) - partsBefore).toBe(7);
    expect(server.count('CreateMultipartUpload')).toBe(1);
  });

  it('aborts and writes nothing when the source bytes changed under the same validators', async () => {
    // Prepare
    const original = randomPayload(size).bytes;
    const changed = randomPayload(size).bytes;
    const validators = { etag: '"v1"', size };
    await expect(
      uploadStreamToS3({ ...options, client, validators, source: failingAfter(original, 2 * 5 * MIB) }),
    ).rejects.toMatchObject({ code: 'ECONNRESET' });

    // Act
    const second = uploadStreamToS3({ ...options, client, validators, source: chunked(changed) });

    // Assess
    await expect(second).rejects.toMatchObject({ code: 'S3_SOURCE_CHANGED' });
    expect(await readObject(client, Bucket, 'resume.bin')).toBeUndefined();
    expect(await readJournal(client, Bucket, 'resume.bin')).toBeUndefined();
    expect(server.count('AbortMultipartUpload', 204)).toBe(1);
  });

  it('starts over when the source validators changed since the journal was written', async () => {
    // Prepare
    const original = randomPayload(size).bytes;
    const { bytes: changed, sha256 } = randomPayload(size);
    await expect(
      uploadStreamToS3({
        ...options,
        client,
        validators: { etag: '"v1"' },
        source: failingAfter(original, 2 * 5 * MIB),
      }),
    ).rejects.toMatchObject({ code: 'ECONNRESET' });

    // Act
    const result = await uploadStreamToS3({
      ...options,
      client,
      validators: { etag: '"v2"' },
      source: chunked(changed),
    });

    // Assess
    expect(result).toMatchObject({
      sha256,
      restartedBecauseChanged: true,
      resumedBytes: 0,
      uploadedParts: 7,
    });
    expect(sha256Of((await readObject(client, Bucket, 'resume.bin')) ?? Buffer.alloc(0))).toBe(sha256);
    expect(server.count('CreateMultipartUpload')).toBe(2);
    expect(server.count('AbortMultipartUpload', 204)).toBe(1);
  });

  it('keeps the journal and stops promptly when its signal fires', async () => {
    // Prepare
    const { bytes } = randomPayload(size);
    const controller = new AbortController();
    let partsSeen = 0;

    // Act
    const upload = uploadStreamToS3({
      ...options,
      client,
      signal: controller.signal,
      source: chunked(bytes),
      onProgress: (p) => {
        partsSeen = Math.floor(p.bytesUploaded / (5 * MIB));
        if (partsSeen === 2) controller.abort(new Error('SIGTERM'));
      },
    });

    // Assess
    await expect(upload).rejects.toMatchObject({ code: 'S3_ABORTED' });
    const journal = await readJournal(client, Bucket, 'resume.bin');
    expect(journal?.parts.length).toBeGreaterThanOrEqual(1);
    expect(await readObject(client, Bucket, 'resume.bin')).toBeUndefined();
  });
});

describe('S3MultipartWriter', () => {
  it('accepts parts out of order and completes with the right bytes', async () => {
    // Prepare
    const { bytes, sha256 } = randomPayload(3 * 5 * MIB + 5);
    const writer = await S3MultipartWriter.open({
      client,
      bucket: Bucket,
      key: 'ooo.bin',
      size: bytes.length,
      minPartSize: 5 * MIB,
    });
    const part = (n: number) => bytes.subarray((n - 1) * 5 * MIB, Math.min(bytes.length, n * 5 * MIB));

    // Act
    for (const n of [4, 2, 1, 3]) await writer.writePart(n, part(n));
    const result = await writer.complete(sha256);

    // Assess
    expect(sha256Of((await readObject(client, Bucket, 'ooo.bin')) ?? Buffer.alloc(0))).toBe(sha256);
    expect(result.crc32).toBe(crc32ToBase64(crc32(bytes)));
  });

  it('refuses to complete with a missing part and aborts the upload', async () => {
    const { bytes, sha256 } = randomPayload(2 * 5 * MIB + 5);
    const writer = await S3MultipartWriter.open({
      client,
      bucket: Bucket,
      key: 'gap.bin',
      size: bytes.length,
      minPartSize: 5 * MIB,
    });
    await writer.writePart(1, bytes.subarray(0, 5 * MIB));
    await writer.writePart(3, bytes.subarray(10 * MIB));
    await expect(writer.complete(sha256)).rejects.toMatchObject({
      code: 'S3_VERIFICATION_FAILED',
      message: 'part 2 is missing',
    });
    expect(await readObject(client, Bucket, 'gap.bin')).toBeUndefined();
  });

  it('refuses a part of the wrong length with a typed error', async () => {
    const writer = await S3MultipartWriter.open({
      client,
      bucket: Bucket,
      key: 'len.bin',
      size: 11 * MIB,
      minPartSize: 5 * MIB,
    });
    await expect(writer.writePart(1, Buffer.alloc(100))).rejects.toMatchObject({ code: 'S3_INVALID_USE' });
    await writer.abort();
  });
});

describe('S3MultipartWriter.open — reconciling with ListParts', () => {
  it('drops journal parts that ListParts does not list, and uploads them again', async () => {
    // Prepare: a run that stored 3 parts, then a server whose ListParts only knows part 1.
    const size = 4 * 5 * MIB + 9;
    const { bytes, sha256 } = randomPayload(size);
    const options = { client, bucket: Bucket, key: 'listed.bin', size, minPartSize: 5 * MIB, concurrency: 1 };
    await expect(
      uploadStreamToS3({ ...options, source: failingAfter(bytes, 3 * 5 * MIB + 5) }),
    ).rejects.toThrow();
    const journal = await readJournal(client, Bucket, 'listed.bin');
    const part1 = journal?.parts.find((p) => p.partNumber === 1);
    server.intercept((_req, res, record) => {
      if (record.operation !== 'ListParts') return false;
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><ListPartsResult><Bucket>${Bucket}</Bucket><Key>listed.bin</Key>` +
          `<UploadId>${journal?.uploadId}</UploadId><IsTruncated>false</IsTruncated>` +
          `<Part><PartNumber>1</PartNumber><ETag>${part1?.etag.replaceAll('"', '&quot;')}</ETag><Size>${5 * MIB}</Size></Part>` +
          '</ListPartsResult>',
      );
      return true;
    });

    // Act
    const result = await uploadStreamToS3({ ...options, source: chunked(bytes) });

    // Assess
    expect(journal?.parts).toHaveLength(3);
    expect(server.count('ListParts', 200)).toBe(1);
    expect(result).toMatchObject({ sha256, resumedBytes: 5 * MIB, uploadedParts: 4 });
    expect(sha256Of((await readObject(client, Bucket, 'listed.bin')) ?? Buffer.alloc(0))).toBe(sha256);
  });
});
