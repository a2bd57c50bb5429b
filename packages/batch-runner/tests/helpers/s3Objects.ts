import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** sha256 of the object at the key, or undefined when there is none. */
export async function objectSha256(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<string | undefined> {
  try {
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = (await got.Body?.transformToByteArray()) ?? new Uint8Array();
    return createHash('sha256').update(bytes).digest('hex');
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** User metadata of the object at the key. */
export async function objectMetadata(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<Record<string, string>> {
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  return head.Metadata ?? {};
}
