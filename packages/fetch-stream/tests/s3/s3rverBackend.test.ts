import type { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journalKeyFor } from '../../src/s3/S3UploadJournal.js';
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
  server = await startS3Server({ backend: 's3rver' });
  client = server.client();
});

afterEach(async () => {
  client.destroy();
  await server.close();
});

// s3rver keeps objects on disk and implements neither ListParts nor AbortMultipartUpload.
describe('uploadStreamToS3 on s3rver', () => {
  it('round-trips a multipart object and records its sha256', async () => {
    const { bytes, sha256 } = randomPayload(2 * 5 * MIB + 77);
    const result = await uploadStreamToS3({
      client,
      bucket: Bucket,
      key: 'r/obj.bin',
      size: bytes.length,
      minPartSize: 5 * MIB,
      source: chunked(bytes),
    });
    expect(result).toMatchObject({ sha256, parts: 3 });
    expect(sha256Of((await readObject(client, Bucket, 'r/obj.bin')) ?? Buffer.alloc(0))).toBe(sha256);
    expect(await metadataOf(client, Bucket, 'r/obj.bin')).toMatchObject({ sha256 });
  });

  it('resumes from the journal alone (no ListParts) without uploading stored parts again', async () => {
    const { bytes, sha256 } = randomPayload(4 * 5 * MIB + 1);
    const options = { client, bucket: Bucket, key: 'r/resume.bin', size: bytes.length, minPartSize: 5 * MIB };
    await expect(
      uploadStreamToS3({ ...options, source: failingAfter(bytes, 2 * 5 * MIB + 10) }),
    ).rejects.toThrow();
    const result = await uploadStreamToS3({ ...options, source: chunked(bytes) });
    expect(result).toMatchObject({ sha256, resumedBytes: 2 * 5 * MIB, uploadedParts: 3 });
    expect(server.count('UploadPart', 200)).toBe(5);
    expect(sha256Of((await readObject(client, Bucket, 'r/resume.bin')) ?? Buffer.alloc(0))).toBe(sha256);
  });

  it('leaves no object and no journal when verification fails, although the abort is not implemented', async () => {
    const { bytes } = randomPayload(2 * 5 * MIB + 1);
    const upload = uploadStreamToS3({
      client,
      bucket: Bucket,
      key: 'r/wrong.bin',
      size: bytes.length,
      minPartSize: 5 * MIB,
      expectedSha256: 'cd'.repeat(32),
      source: chunked(bytes),
    });
    await expect(upload).rejects.toMatchObject({ code: 'S3_VERIFICATION_FAILED' });
    expect(await readObject(client, Bucket, 'r/wrong.bin')).toBeUndefined();
    expect(await readObject(client, Bucket, journalKeyFor('r/wrong.bin'))).toBeUndefined();
    expect(server.count('AbortMultipartUpload')).toBe(1);
  });
});
