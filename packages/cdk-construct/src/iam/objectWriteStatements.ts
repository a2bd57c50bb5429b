/** Explicit S3 permissions (no wildcard actions) for writing delivered objects. */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What a writer of delivered files needs: read back (resume and verification), put, multipart
 * (create, upload part, complete, abort, list parts for resume) — only under `prefix`.
 */
export function objectWriteStatements(bucket: s3.IBucket, prefix: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }),
    new iam.PolicyStatement({
      actions: ['s3:ListBucket', 's3:ListBucketMultipartUploads'],
      resources: [bucket.bucketArn],
    }),
  ];
}

/** Read-only access to delivered objects and their listing. */
export function objectReadStatements(bucket: s3.IBucket, prefix: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${prefix}*`)] }),
    new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
  ];
}
