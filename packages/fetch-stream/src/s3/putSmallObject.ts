import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { crc32ToBase64 } from './crc32Combine.js';
import { S3SinkError } from './errors.js';
import type { S3Target, S3UploadResult } from './S3MultipartWriter.js';

/**
 * Uploads an object small enough for one request: a PutObject with its exact Content-Length,
 * its CRC-32 (checked by S3) and its sha256 as `x-amz-meta-sha256`. When `expectedSha256` is
 * given and differs, nothing is written.
 */
export async function putSmallObject(
  target: S3Target & { readonly expectedSha256?: string },
  body: Uint8Array,
): Promise<S3UploadResult> {
  const sha256 = createHash('sha256').update(body).digest('hex');
  const expected = target.expectedSha256?.toLowerCase();
  if (expected !== undefined && expected !== sha256) {
    throw new S3SinkError(
      'S3_VERIFICATION_FAILED',
      `sha256 ${sha256} does not match the expected ${expected}; nothing was written`,
    );
  }
  const crc = crc32ToBase64(crc32(body));
  let etag: string | undefined;
  try {
    const put = await target.client.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        Body: body,
        ContentLength: body.length,
        ContentType: target.contentType,
        ChecksumCRC32: crc,
        Metadata: { ...target.metadata, sha256 },
      }),
    );
    etag = put.ETag;
  } catch (error) {
    throw new S3SinkError('S3_REQUEST_FAILED', `PutObject failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    bucket: target.bucket,
    key: target.key,
    bytes: body.length,
    sha256,
    crc32: crc,
    etag,
    parts: 0,
    uploadedParts: 1,
    resumedBytes: 0,
    sha256Recorded: 'metadata',
    restartedBecauseChanged: false,
    peakBufferedBytes: body.length,
  };
}
