import { S3Client } from '@aws-sdk/client-s3';
import type { Settings } from '../settings/Settings.js';

/**
 * The S3 client of a run. Credentials come from the SDK's default chain (the Batch job role).
 * Checksums are computed by the sink itself (zlib CRC-32), so the SDK adds none of its own;
 * that also keeps S3-compatible servers from storing aws-chunked framing.
 */
export function createS3Client(s3: NonNullable<Settings['s3']>): S3Client {
  return new S3Client({
    region: s3.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(s3.endpoint === undefined ? {} : { endpoint: s3.endpoint, forcePathStyle: true }),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 5,
  });
}
