/**
 * Every checksum a provider declares reaches the large-file path: md5 and CRC32C are verified like
 * sha256, and a mismatch of any one publishes nothing (exit 66, upload aborted, no object).
 */
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { type FaultOrigin, startFaultOrigin } from '@downloader/fault-origin';
import { crc32c } from '@downloader/fetch-stream';
import { type RunningS3Server, startS3Server } from '@downloader/s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exitCodes.js';
import { runRunner } from '../helpers/runRunner.js';
import { objectSha256 } from '../helpers/s3Objects.js';

const MIB = 1024 * 1024;
const Bucket = 'test-bucket';
let s3: RunningS3Server;
let client: S3Client;
let origin: FaultOrigin;
let md5: string;
let crc: string;
let sha256: string;

beforeAll(async () => {
  s3 = await startS3Server();
  client = s3.client();
  origin = await startFaultOrigin({
    files: { 'data.bin': 2 * 5 * MIB + 321 },
    seed: 'batch-runner-checksums',
  });
  // The provider's declared checksums, computed here from the bytes the origin serves.
  const bytes = new Uint8Array(await (await fetch(origin.url('data.bin'))).arrayBuffer());
  md5 = createHash('md5').update(bytes).digest('hex');
  crc = crc32c(bytes).toString(16).padStart(8, '0');
  sha256 = createHash('sha256').update(bytes).digest('hex');
});

afterAll(async () => {
  client.destroy();
  await s3.close();
  await origin.close();
});

const run = (key: string, ...checksums: string[]) =>
  runRunner([
    '--url',
    origin.url('data.bin'),
    '--bucket',
    Bucket,
    '--key',
    key,
    '--endpoint',
    s3.endpoint,
    '--part-size',
    String(5 * MIB),
    ...checksums,
  ]);

describe('batch-runner checksums', () => {
  it('publishes the object when md5 and CRC32C both match (given without sha256)', async () => {
    // Act
    const result = await run('sums/ok.bin', '--md5', md5, '--crc32c', crc.toUpperCase());

    // Assess
    expect(result.lines.find((line) => line.event === 'failed')).toBeUndefined();
    expect(result.code).toBe(ExitCode.Success);
    expect(await objectSha256(client, Bucket, 'sums/ok.bin')).toBe(sha256);
  });

  it.each([
    ['md5', () => ['--md5', 'ab'.repeat(16), '--crc32c', crc]],
    ['crc32c', () => ['--md5', md5, '--crc32c', 'deadbeef']],
  ])('exits 66 and publishes nothing when only the %s differs', async (_name, args) => {
    // Prepare
    const aborts = s3.count('AbortMultipartUpload', 204);

    // Act
    const result = await run(`sums/bad-${_name}.bin`, ...args());

    // Assess
    expect(result.code).toBe(ExitCode.VerificationFailed);
    expect(result.lines.find((line) => line.event === 'failed')).toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(await objectSha256(client, Bucket, `sums/bad-${_name}.bin`)).toBeUndefined();
    expect(s3.count('AbortMultipartUpload', 204)).toBe(aborts + 1);
  });

  it('refuses a checksum flag of the wrong length as a usage error before any request', async () => {
    // Prepare
    const requestsBefore = origin.stats.requests;

    // Act
    const result = await run('sums/usage.bin', '--crc32c', 'abc');

    // Assess
    expect(result.code).toBe(ExitCode.Usage);
    expect(origin.stats.requests).toBe(requestsBefore);
  });
});
