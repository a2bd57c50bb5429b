/** The S3 bucket delivered files are written to. */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { CallbackDownloaderProps } from '../CallbackDownloaderProps.js';
import { assertNotBoth } from '../errors.js';

/** The bucket and, when the construct made it, the bucket its access logs go to. */
export interface DestinationBuckets {
  readonly bucket: s3.IBucket;
  readonly accessLogsBucket?: s3.IBucket;
}

const SECURE_DEFAULTS = {
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
} as const;

/** The bucket given in `existingBucket`, or a new one with its access-logs bucket. */
export function destinationBucket(scope: Construct, props: CallbackDownloaderProps): DestinationBuckets {
  assertNotBoth('existingBucket', props.existingBucket, 'bucketProps', props.bucketProps);
  if (props.existingBucket !== undefined) return { bucket: props.existingBucket };
  const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
  const accessLogsBucket =
    props.serverAccessLogsBucket ??
    new s3.Bucket(scope, 'AccessLogsBucket', {
      ...SECURE_DEFAULTS,
      // Server access logging delivers with the S3 logging service principal (bucket policy).
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
  const bucket = new s3.Bucket(scope, 'Bucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy,
    serverAccessLogsBucket: accessLogsBucket,
    serverAccessLogsPrefix: 'destination/',
    ...props.bucketProps,
    // Not overridable: delivered files are private data and must never travel in clear.
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    lifecycleRules: [
      {
        id: 'AbortIncompleteMultipartUploads',
        abortIncompleteMultipartUploadAfter: props.abortIncompleteMultipartUploadsAfter ?? Duration.days(7),
      },
      ...(props.bucketProps?.lifecycleRules ?? []),
    ],
  });
  return props.serverAccessLogsBucket === undefined ? { bucket, accessLogsBucket } : { bucket };
}
