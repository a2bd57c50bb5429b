import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ResourceValidators } from '../types.js';
import { S3SinkError } from './errors.js';

/** One part S3 has acknowledged. */
export interface CompletedPart {
  readonly partNumber: number;
  readonly etag: string;
  /** Bytes in the part. */
  readonly size: number;
  /** Unsigned CRC-32 of the part's bytes. */
  readonly crc32: number;
}

/**
 * Resume state of one multipart upload, stored as an object beside the target
 * (`<key>.fetch-stream-journal.json`) so a retried job on a fresh machine finds it.
 */
export interface S3UploadJournal {
  readonly version: 1;
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
  /** Total size when known at start. */
  readonly size?: number;
  /** Size of part 1; with `size` it fixes every part boundary. */
  readonly basePartSize: number;
  /** URL the parts were downloaded from (informational; validators decide). */
  readonly url?: string;
  /** Validators of the source version the parts came from. */
  readonly validators: ResourceValidators;
  /** sha256 metadata given at CreateMultipartUpload, if any. */
  readonly expectedSha256?: string;
  readonly parts: ReadonlyArray<CompletedPart>;
  readonly updatedAt: string;
}

/** Key of the journal object that belongs to `key`. */
export function journalKeyFor(key: string): string {
  return `${key}.fetch-stream-journal.json`;
}

function isJournal(value: unknown, bucket: string, key: string): value is S3UploadJournal {
  if (typeof value !== 'object' || value === null) return false;
  const j = value as Partial<S3UploadJournal>;
  return (
    j.version === 1 &&
    j.bucket === bucket &&
    j.key === key &&
    typeof j.uploadId === 'string' &&
    typeof j.basePartSize === 'number' &&
    Array.isArray(j.parts) &&
    j.parts.every(
      (p) =>
        Number.isInteger(p.partNumber) &&
        typeof p.etag === 'string' &&
        Number.isInteger(p.size) &&
        Number.isInteger(p.crc32),
    )
  );
}

/**
 * Reads the journal of `bucket/key`. A missing journal is `undefined`; so is an unreadable
 * one, because starting over is always safe while trusting a corrupt journal is not.
 */
export async function readJournal(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<S3UploadJournal | undefined> {
  let text: string;
  try {
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: journalKeyFor(key) }));
    text = (await got.Body?.transformToString('utf-8')) ?? '';
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) return undefined;
    throw new S3SinkError('S3_REQUEST_FAILED', `could not read the resume journal of s3://${bucket}/${key}`, {
      cause: error,
    });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isJournal(parsed, bucket, key) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Writes (replaces) the journal object. */
export async function writeJournal(client: S3Client, journal: S3UploadJournal): Promise<void> {
  const body = Buffer.from(JSON.stringify(journal));
  await client.send(
    new PutObjectCommand({
      Bucket: journal.bucket,
      Key: journalKeyFor(journal.key),
      Body: body,
      ContentLength: body.length,
      ContentType: 'application/json',
    }),
  );
}

/** Deletes the journal object (absent is fine). */
export async function deleteJournal(client: S3Client, bucket: string, key: string): Promise<void> {
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: journalKeyFor(key) }));
}
