import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  ListPartsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { CompletedPart } from './S3UploadJournal.js';

/** HTTP status of an SDK error, when it has one. */
export function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/** S3 error code (`NoSuchUpload`, `NotImplemented`…) of an SDK error. */
export function s3ErrorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Aborts a multipart upload. Returns false when the server refused or does not implement
 * it (some emulators); S3 lifecycle rules then clean up the orphaned parts.
 */
export async function abortUploadQuietly(
  client: S3Client,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<boolean> {
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    return true;
  } catch (error) {
    return s3ErrorName(error) === 'NoSuchUpload';
  }
}

/** Deletes an object, ignoring every failure (used only on paths that already fail). */
export async function deleteObjectQuietly(client: S3Client, bucket: string, key: string): Promise<void> {
  try {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  } catch {
    // Best effort: the caller is already reporting the real failure.
  }
}

/** What ListParts said about an upload. */
export type ListPartsOutcome =
  | { readonly kind: 'listed'; readonly etags: ReadonlyMap<number, string> }
  | { readonly kind: 'upload-gone' }
  | { readonly kind: 'unsupported' };

/**
 * Lists the parts S3 holds for an upload. Servers without ListParts (s3rver, fauxqs) answer
 * with an error or with something that is not a listing of this upload: `unsupported`, and the
 * caller trusts its journal.
 */
export async function listUploadedParts(
  client: S3Client,
  bucket: string,
  key: string,
  uploadId: string,
  journalParts: ReadonlyArray<CompletedPart>,
): Promise<ListPartsOutcome> {
  const etags = new Map<number, string>();
  let marker: string | undefined;
  try {
    for (;;) {
      const page = await client.send(
        new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }),
      );
      if (page.UploadId !== uploadId) return { kind: 'unsupported' };
      for (const part of page.Parts ?? []) {
        if (part.PartNumber !== undefined && part.ETag !== undefined) etags.set(part.PartNumber, part.ETag);
      }
      if (!page.IsTruncated || page.NextPartNumberMarker === undefined) break;
      marker = page.NextPartNumberMarker;
    }
  } catch (error) {
    return s3ErrorName(error) === 'NoSuchUpload' ? { kind: 'upload-gone' } : { kind: 'unsupported' };
  }
  // An empty listing while the journal has parts would drop them all: accept it only from a real S3.
  if (etags.size === 0 && journalParts.length > 0) return { kind: 'unsupported' };
  return { kind: 'listed', etags };
}
