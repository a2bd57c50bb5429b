export type { S3RequestRecord } from './requestLog.js';
export type { S3Operation } from './s3Operation.js';
export { s3Operation } from './s3Operation.js';
export type { RunningS3Server, S3Backend, S3Interceptor, StartS3ServerOptions } from './startS3Server.js';
export { s3ClientFor, startS3Server, TEST_CREDENTIALS } from './startS3Server.js';
