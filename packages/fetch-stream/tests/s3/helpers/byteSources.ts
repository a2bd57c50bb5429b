import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** Random bytes with their sha256. */
export function randomPayload(size: number): { bytes: Buffer; sha256: string } {
  const bytes = randomBytes(size);
  return { bytes, sha256: sha256Of(bytes) };
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Streams `bytes` in chunks of an odd size so part boundaries never line up with chunks. */
export async function* chunked(bytes: Uint8Array, chunkSize = 100_003): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    yield bytes.subarray(offset, Math.min(bytes.length, offset + chunkSize));
  }
}

/** Streams the first `failAfter` bytes, then throws as a reset connection would. */
export async function* failingAfter(bytes: Uint8Array, failAfter: number): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunked(bytes.subarray(0, failAfter))) yield chunk;
  throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

/** The object's bytes, or undefined when there is no object at the key. */
export async function readObject(client: S3Client, bucket: string, key: string): Promise<Buffer | undefined> {
  try {
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from((await got.Body?.transformToByteArray()) ?? new Uint8Array());
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** User metadata of an object. */
export async function metadataOf(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<Record<string, string>> {
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  return head.Metadata ?? {};
}
