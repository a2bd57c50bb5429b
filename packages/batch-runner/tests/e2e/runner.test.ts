import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { type FaultOrigin, startFaultOrigin } from '@downloader/fault-origin';
import { type RunningS3Server, startS3Server } from '@downloader/s3-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exitCodes.js';
import { runRunner } from '../helpers/runRunner.js';
import { objectMetadata, objectSha256 } from '../helpers/s3Objects.js';

const MIB = 1024 * 1024;
const Bucket = 'test-bucket';

let s3: RunningS3Server;
let client: S3Client;
let origin: FaultOrigin;

beforeAll(async () => {
  s3 = await startS3Server();
  client = s3.client();
  origin = await startFaultOrigin({
    files: { 'big.bin': 4 * 5 * MIB + 999, 'small.bin': 123_456 },
    seed: 'batch-runner-e2e',
  });
});

afterAll(async () => {
  client.destroy();
  await s3.close();
  await origin.close();
});

beforeEach(() => {
  origin.resetStats();
});

const s3Args = (key: string, ...more: string[]): string[] => [
  '--bucket',
  Bucket,
  '--key',
  key,
  '--endpoint',
  s3.endpoint,
  '--part-size',
  String(5 * MIB),
  ...more,
];

describe('batch-runner into S3', () => {
  it('uploads a multipart object byte for byte and logs a summary', async () => {
    // Act
    const run = await runRunner([
      '--url',
      origin.url('big.bin'),
      ...s3Args('e2e/big.bin', '--delivery-id', 'dlv_1', '--progress-interval', '20'),
    ]);

    // Assess
    const sha256 = origin.info('big.bin').sha256;
    expect(run.code).toBe(ExitCode.Success);
    expect(await objectSha256(client, Bucket, 'e2e/big.bin')).toBe(sha256);
    expect(await objectMetadata(client, Bucket, 'e2e/big.bin')).toMatchObject({ sha256 });
    const done = run.lines.find((l) => l.event === 'done');
    expect(done).toMatchObject({
      deliveryId: 'dlv_1',
      bytes: origin.info('big.bin').size,
      sha256,
      parts: 5,
      resumedBytes: 0,
    });
    expect(typeof done?.seconds).toBe('number');
    const progress = run.lines.filter((l) => l.event === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ total: origin.info('big.bin').size });
    expect(run.lines.every((l) => l.deliveryId === 'dlv_1')).toBe(true);
  });

  it('uploads a small object with one PutObject, settings from environment variables', async () => {
    // Act
    const run = await runRunner([], {
      DOWNLOADER_URL: origin.url('small.bin'),
      DOWNLOADER_BUCKET: Bucket,
      DOWNLOADER_KEY: 'e2e/small.bin',
      DOWNLOADER_S3_ENDPOINT: s3.endpoint,
      DOWNLOADER_SHA256: origin.info('small.bin').sha256,
      DOWNLOADER_SIZE: String(origin.info('small.bin').size),
    });

    // Assess
    expect(run.code).toBe(ExitCode.Success);
    expect(await objectSha256(client, Bucket, 'e2e/small.bin')).toBe(origin.info('small.bin').sha256);
    expect(run.lines.find((l) => l.event === 'done')).toMatchObject({ parts: 0 });
  });

  it('exits 66, aborts the upload and leaves no object when --sha256 does not match', async () => {
    // Prepare
    const aborts = s3.count('AbortMultipartUpload', 204);

    // Act
    const run = await runRunner([
      '--url',
      origin.url('big.bin'),
      ...s3Args('e2e/wrong.bin', '--sha256', 'ab'.repeat(32)),
    ]);

    // Assess
    expect(run.code).toBe(ExitCode.VerificationFailed);
    expect(run.lines.find((l) => l.event === 'failed')).toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      exitCode: 66,
    });
    expect(await objectSha256(client, Bucket, 'e2e/wrong.bin')).toBeUndefined();
    expect(await objectSha256(client, Bucket, 'e2e/wrong.bin.fetch-stream-journal.json')).toBeUndefined();
    expect(s3.count('AbortMultipartUpload', 204)).toBe(aborts + 1);
  });

  it('exits 66 and leaves no object when the source sends wrong bytes and --sha256 is given', async () => {
    const aborts = s3.count('AbortMultipartUpload', 204);
    const url = origin.url('big.bin', [{ mode: 'wrong-bytes', offset: 7 * MIB }]);
    const run = await runRunner([
      '--url',
      url,
      ...s3Args('e2e/corrupt.bin', '--sha256', origin.info('big.bin').sha256),
    ]);
    expect(run.code).toBe(ExitCode.VerificationFailed);
    expect(run.lines.find((l) => l.event === 'failed')).toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(await objectSha256(client, Bucket, 'e2e/corrupt.bin')).toBeUndefined();
    expect(s3.count('AbortMultipartUpload', 204)).toBe(aborts + 1);
  });

  it('exits 66 before uploading anything when --size does not match', async () => {
    const parts = s3.count('UploadPart');
    const run = await runRunner([
      '--url',
      origin.url('big.bin'),
      ...s3Args('e2e/size.bin', '--size', '1000'),
    ]);
    expect(run.code).toBe(ExitCode.VerificationFailed);
    expect(run.lines.find((l) => l.event === 'failed')).toMatchObject({ code: 'SIZE_MISMATCH' });
    expect(s3.count('UploadPart')).toBe(parts);
    expect(await objectSha256(client, Bucket, 'e2e/size.bin')).toBeUndefined();
  });

  it('exits 65 with no object when the source answers 404', async () => {
    const run = await runRunner(['--url', origin.url('missing.bin'), ...s3Args('e2e/missing.bin')]);
    expect(run.code).toBe(ExitCode.SourceRefused);
    expect(run.lines.find((l) => l.event === 'failed')).toMatchObject({ code: 'HTTP_STATUS', exitCode: 65 });
    expect(await objectSha256(client, Bucket, 'e2e/missing.bin')).toBeUndefined();
  });

  it('exits 65 and aborts the upload when the source starts refusing part-way', async () => {
    // Prepare: a slow source that answers 403 once two parts are in S3.
    const refusing = await startFaultOrigin({ files: { 'gone.bin': 6 * 5 * MIB }, seed: 'batch-runner-403' });
    refusing.setFaults('gone.bin', [{ mode: 'throttle', bytesPerSecond: 10 * MIB }]);
    const key = 'e2e/gone.bin';
    const acked = () =>
      s3.requests.filter(
        (r) => r.operation === 'UploadPart' && r.path === `/${Bucket}/${key}` && r.status === 200,
      ).length;
    const watcher = setInterval(() => {
      if (acked() >= 2) refusing.setFaults('gone.bin', [{ mode: 'status', status: 403 }]);
    }, 5);
    try {
      // Act
      const run = await runRunner(['--url', refusing.url('gone.bin'), ...s3Args(key, '--connections', '1')]);

      // Assess
      expect(run.code).toBe(ExitCode.SourceRefused);
      expect(run.lines.map((l) => l.event)).toContain('upload-aborted');
      expect(
        s3.requests.filter(
          (r) => r.operation === 'AbortMultipartUpload' && r.path === `/${Bucket}/${key}` && r.status === 204,
        ),
      ).toHaveLength(1);
      expect(await objectSha256(client, Bucket, key)).toBeUndefined();
      expect(await objectSha256(client, Bucket, `${key}.fetch-stream-journal.json`)).toBeUndefined();
    } finally {
      clearInterval(watcher);
      await refusing.close();
    }
  });

  it('ends with the right object when the connection resets part-way', async () => {
    const url = origin.url('big.bin', [{ mode: 'reset', afterBytes: 3 * MIB, times: 2 }]);
    const run = await runRunner(['--url', url, ...s3Args('e2e/reset.bin')]);
    expect(run.code).toBe(ExitCode.Success);
    expect(await objectSha256(client, Bucket, 'e2e/reset.bin')).toBe(origin.info('big.bin').sha256);
  });

  it('ends with the new version, whole, when the source changes mid-transfer', async () => {
    // Prepare
    const changing = await startFaultOrigin({
      files: { 'big.bin': 4 * 5 * MIB + 999 },
      seed: 'batch-runner-change',
    });
    const url = changing.url('big.bin', [{ mode: 'change', afterRequests: 2 }]);

    try {
      // Act
      const run = await runRunner(['--url', url, ...s3Args('e2e/changed.bin', '--connections', '2')]);

      // Assess
      expect(run.code).toBe(ExitCode.Success);
      expect(changing.info('big.bin').version).toBeGreaterThan(1);
      expect(await objectSha256(client, Bucket, 'e2e/changed.bin')).toBe(changing.info('big.bin').sha256);
      expect(run.lines.find((l) => l.event === 'done')).toMatchObject({ restartedBecauseChanged: true });
    } finally {
      await changing.close();
    }
  });
});

describe('batch-runner to a file', () => {
  it('writes the verified file with --to-file', async () => {
    const path = join(tmpdir(), `batch-runner-${process.pid}-small.bin`);
    try {
      const run = await runRunner(['--url', origin.url('small.bin'), '--to-file', path]);
      expect(run.code).toBe(ExitCode.Success);
      const sha = createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
      expect(sha).toBe(origin.info('small.bin').sha256);
    } finally {
      await rm(path, { force: true });
    }
  });
});

describe('batch-runner command line', () => {
  it('prints help with every environment variable and exits 0', async () => {
    const run = await runRunner(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('DOWNLOADER_URL');
    expect(run.stdout).toContain('75');
  });

  it('prints its version', async () => {
    const run = await runRunner(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('0.1.0');
  });

  it('exits 64 with a message when no target is given', async () => {
    const run = await runRunner(['--url', 'https://example.invalid/x']);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain('a target is required');
  });
});
