/** S3 object store of the entrypoints (loaded on first use). */
import { S3Client } from '@aws-sdk/client-s3';
import { AWS_ENV, optional, required } from '../../adapters/aws/awsSettings.js';
import { S3ObjectStore } from '../../adapters/aws/s3/S3ObjectStore.js';
import { traced } from '../observability/traced.js';

export function createObjects(env: Readonly<Record<string, string | undefined>>): S3ObjectStore {
  const s3Endpoint = optional(env, AWS_ENV.s3Endpoint);
  const client = traced(
    new S3Client({
      ...(s3Endpoint === undefined ? {} : { endpoint: s3Endpoint, forcePathStyle: true }),
      // S3-compatible emulators store aws-chunked framing verbatim otherwise; AWS accepts both.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  );
  return new S3ObjectStore({
    client,
    bucket: required(env, AWS_ENV.bucket),
    prefix: optional(env, AWS_ENV.keyPrefix) ?? '',
    ...(s3Endpoint === undefined ? {} : { endpoint: s3Endpoint }),
  });
}
