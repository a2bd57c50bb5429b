/** The loopback S3 server for tests outside this package (the CDK construct's integration test). */
export { type RunningS3Server, startS3Server } from '@downloader/s3-server';
