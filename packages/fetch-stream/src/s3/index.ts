/**
 * `@downloader/fetch-stream/s3`: write downloads straight into S3 — one PutObject for small
 * objects, a resumable multipart upload within a memory budget for large ones.
 * Needs `@aws-sdk/client-s3` (a peer dependency).
 */
export { crc32Combine, crc32ToBase64 } from './crc32Combine.js';
export type { S3SinkErrorCode } from './errors.js';
export { S3SinkError } from './errors.js';
export { DEFAULT_MIN_PART_SIZE, PartLayout, S3_MAX_PARTS, S3_MIN_PART_SIZE } from './partLayout.js';
export { putSmallObject } from './putSmallObject.js';
export type {
  PartReservation,
  S3MultipartWriterOptions,
  S3Target,
  S3UploadResult,
} from './S3MultipartWriter.js';
export { S3MultipartWriter } from './S3MultipartWriter.js';
export type { S3SinkOptions } from './S3Sink.js';
export { S3Sink } from './S3Sink.js';
export type { CompletedPart, S3UploadJournal } from './S3UploadJournal.js';
export { journalKeyFor, readJournal } from './S3UploadJournal.js';
export type { S3UploadProgress, UploadStreamToS3Options } from './uploadStreamToS3.js';
export { uploadStreamToS3 } from './uploadStreamToS3.js';
