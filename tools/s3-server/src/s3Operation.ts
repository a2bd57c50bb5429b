/** The S3 operations tests care to count, derived from method, path and query alone. */
export type S3Operation =
  | 'CreateBucket'
  | 'PutObject'
  | 'CopyObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'ListObjects'
  | 'Other';

/**
 * Classifies one path-style request (`/<bucket>/<key>?…`). Virtual-hosted style is not
 * used by our clients (`forcePathStyle: true`), so the first path segment is the bucket.
 */
export function s3Operation(
  method: string,
  url: URL,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): S3Operation {
  const segments = url.pathname.split('/').filter((s) => s.length > 0);
  const hasKey = segments.length > 1;
  const q = url.searchParams;
  switch (method) {
    case 'PUT':
      if (!hasKey) return 'CreateBucket';
      if (q.has('partNumber') && q.has('uploadId')) return 'UploadPart';
      return headers['x-amz-copy-source'] !== undefined ? 'CopyObject' : 'PutObject';
    case 'POST':
      if (q.has('uploads')) return 'CreateMultipartUpload';
      if (q.has('uploadId')) return 'CompleteMultipartUpload';
      return 'Other';
    case 'DELETE':
      if (q.has('uploadId')) return 'AbortMultipartUpload';
      return hasKey ? 'DeleteObject' : 'Other';
    case 'GET':
      if (q.has('uploadId')) return 'ListParts';
      return hasKey ? 'GetObject' : 'ListObjects';
    case 'HEAD':
      return hasKey ? 'HeadObject' : 'Other';
    default:
      return 'Other';
  }
}
