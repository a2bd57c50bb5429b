import type { S3Client } from '@aws-sdk/client-s3';
import { type FaultOrigin, startFaultOrigin } from '@downloader/fault-origin';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { download } from '../../src/download.js';
import { S3Sink } from '../../src/s3/S3Sink.js';
import { journalKeyFor, readJournal } from '../../src/s3/S3UploadJournal.js';
import { metadataOf, readObject, sha256Of } from './helpers/byteSources.js';
import { type RunningS3Server, startS3Server } from './helpers/s3TestServer.js';

const MIB = 1024 * 1024;
const Bucket = 'test-bucket';

let server: RunningS3Server;
let client: S3Client;
let origin: FaultOrigin;

beforeEach(async () => {
  server = await startS3Server();
  client = server.client();
  origin = await startFaultOrigin({
    files: { 'big.bin': 4 * 5 * MIB + 4321, 'small.bin': 70_000 },
    seed: 's3-sink',
  });
});

afterEach(async () => {
  client.destroy();
  await server.close();
  await origin.close();
});

describe('S3Sink with download()', () => {
  it('downloads a multi-part file into S3 byte for byte, sha256 in metadata and result', async () => {
    // Prepare
    const sink = new S3Sink({ client, bucket: Bucket, key: 'dl/big.bin', minPartSize: 5 * MIB });

    // Act
    const result = await download(origin.url('big.bin'), { sink, connections: 3 });

    // Assess
    const expected = origin.info('big.bin').sha256;
    expect(result.sha256).toBe(expected);
    expect(sha256Of((await readObject(client, Bucket, 'dl/big.bin')) ?? Buffer.alloc(0))).toBe(expected);
    expect(sink.result).toMatchObject({ sha256: expected, parts: 5, uploadedParts: 5 });
    expect(await metadataOf(client, Bucket, 'dl/big.bin')).toMatchObject({ sha256: expected });
    expect(server.count('UploadPart', 200)).toBe(5);
    expect(await readObject(client, Bucket, journalKeyFor('dl/big.bin'))).toBeUndefined();
  });

  it('stores a small file with one PutObject', async () => {
    const sink = new S3Sink({ client, bucket: Bucket, key: 'dl/small.bin' });
    const result = await download(origin.url('small.bin'), { sink });
    expect(sha256Of((await readObject(client, Bucket, 'dl/small.bin')) ?? Buffer.alloc(0))).toBe(
      result.sha256,
    );
    expect(server.count('CreateMultipartUpload')).toBe(0);
    expect(server.count('PutObject', 200)).toBe(1);
  });

  it('resumes after an abort without uploading acknowledged parts again', async () => {
    // Prepare
    const key = 'dl/resume.bin';
    const controller = new AbortController();
    const first = download(origin.url('big.bin', [{ mode: 'throttle', bytesPerSecond: 20 * MIB }]), {
      sink: new S3Sink({
        client,
        bucket: Bucket,
        key,
        minPartSize: 5 * MIB,
        onWriter: (w) => {
          const timer = setInterval(() => {
            if (server.count('UploadPart', 200) >= 2) {
              clearInterval(timer);
              controller.abort(new Error('stop'));
            }
          }, 5);
          void w;
        },
      }),
      // One connection: with several, an abort can strand a worker waiting for its turn in the
      // engine's ordered-parts mode (reported to the engine's owner).
      connections: 1,
      signal: controller.signal,
    });
    await expect(first).rejects.toMatchObject({ code: 'ABORTED' });
    const journal = await readJournal(client, Bucket, key);

    // Act
    const sink = new S3Sink({ client, bucket: Bucket, key, minPartSize: 5 * MIB });
    const result = await download(origin.url('big.bin'), { sink, connections: 2 });

    // Assess
    expect(journal?.parts.length).toBeGreaterThanOrEqual(2);
    expect(sha256Of((await readObject(client, Bucket, key)) ?? Buffer.alloc(0))).toBe(
      origin.info('big.bin').sha256,
    );
    expect(result.sha256).toBe(origin.info('big.bin').sha256);
    expect(sink.result?.resumedBytes).toBe((journal?.parts.length ?? 0) * 5 * MIB);
    expect(sink.result?.uploadedParts).toBe(5 - (journal?.parts.length ?? 0));
    expect(server.count('CreateMultipartUpload')).toBe(1);
  });

  it('completes an upload whose every part was stored before a crash, uploading none again', async () => {
    // Prepare: a run that stores every part and dies before CompleteMultipartUpload.
    const key = 'dl/all-parts.bin';
    const crashing = new S3Sink({ client, bucket: Bucket, key, minPartSize: 5 * MIB });
    crashing.finalize = async () => {
      throw new Error('crashed before completing');
    };
    await expect(download(origin.url('big.bin'), { sink: crashing })).rejects.toMatchObject({ code: 'SINK' });
    const partsBefore = server.count('UploadPart', 200);

    // Act
    const sink = new S3Sink({ client, bucket: Bucket, key, minPartSize: 5 * MIB });
    const result = await download(origin.url('big.bin'), { sink });

    // Assess
    expect(partsBefore).toBe(5);
    expect(server.count('UploadPart', 200)).toBe(5);
    expect(sink.result).toMatchObject({
      parts: 5,
      uploadedParts: 0,
      resumedBytes: origin.info('big.bin').size,
    });
    expect(result.sha256).toBe(origin.info('big.bin').sha256);
    expect(sha256Of((await readObject(client, Bucket, key)) ?? Buffer.alloc(0))).toBe(
      origin.info('big.bin').sha256,
    );
  });

  it('aborts the old upload and starts over when the source changed between two runs', async () => {
    // Prepare: a first run stops after two parts, then the source gets a new version.
    const key = 'dl/changed.bin';
    const controller = new AbortController();
    const first = download(origin.url('big.bin', [{ mode: 'throttle', bytesPerSecond: 20 * MIB }]), {
      sink: new S3Sink({ client, bucket: Bucket, key, minPartSize: 5 * MIB }),
      connections: 1,
      signal: controller.signal,
      onProgress: () => {
        if (server.count('UploadPart', 200) >= 2) controller.abort(new Error('stop'));
      },
      progressIntervalMs: 0,
    });
    await expect(first).rejects.toMatchObject({ code: 'ABORTED' });
    const oldJournal = await readJournal(client, Bucket, key);
    origin.addFile('big.bin', 4 * 5 * MIB + 4321);

    // Act
    const sink = new S3Sink({ client, bucket: Bucket, key, minPartSize: 5 * MIB });
    const result = await download(origin.url('big.bin'), { sink, connections: 2 });

    // Assess
    const expected = origin.info('big.bin').sha256;
    expect(oldJournal?.parts.length).toBeGreaterThanOrEqual(1);
    expect(result.sha256).toBe(expected);
    expect(sha256Of((await readObject(client, Bucket, key)) ?? Buffer.alloc(0))).toBe(expected);
    expect(sink.result).toMatchObject({ resumedBytes: 0, uploadedParts: 5 });
    expect(server.count('CreateMultipartUpload')).toBe(2);
    expect(server.count('AbortMultipartUpload', 204)).toBe(1);
  });

  it('keeps the part bytes it holds within its memory budget', async () => {
    // Prepare
    const budget = 2 * 5 * MIB;
    let peak = -1;
    let sampler: NodeJS.Timeout | undefined;
    const sink = new S3Sink({
      client,
      bucket: Bucket,
      key: 'dl/budget.bin',
      minPartSize: 5 * MIB,
      memoryBudget: budget,
      concurrency: 4,
      onWriter: (w) => {
        sampler = setInterval(() => {
          peak = Math.max(peak, w.bufferedBytes);
        }, 1);
      },
    });

    // Act
    await download(origin.url('big.bin'), { sink, connections: 4 }).finally(() => clearInterval(sampler));

    // Assess
    expect(sink.result?.peakBufferedBytes).toBeGreaterThan(0);
    expect(sink.result?.peakBufferedBytes).toBeLessThanOrEqual(budget);
    expect(peak).toBeLessThanOrEqual(budget);
  });

  it('aborts the upload and leaves no object when the expected sha256 does not match', async () => {
    // Prepare
    const sink = new S3Sink({ client, bucket: Bucket, key: 'dl/wrong.bin', minPartSize: 5 * MIB });

    // Act
    const run = download(origin.url('big.bin'), { sink, checksum: { sha256: '00'.repeat(32) } });

    // Assess
    await expect(run).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(await readObject(client, Bucket, 'dl/wrong.bin')).toBeUndefined();
    expect(await readObject(client, Bucket, journalKeyFor('dl/wrong.bin'))).toBeUndefined();
    expect(server.count('AbortMultipartUpload', 204)).toBe(1);
    expect(server.count('CompleteMultipartUpload')).toBe(0);
  });
});
