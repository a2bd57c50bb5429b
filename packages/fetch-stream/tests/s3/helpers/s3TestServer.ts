import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';

/**
 * The part of tools/s3-server's `RunningS3Server` these tests use. The harness is loaded by a
 * computed path at run time so that fetch-stream (a publishable package) needs neither a
 * workspace dependency on a private tool nor its sources in its own type-check.
 */
export interface RunningS3Server {
  readonly endpoint: string;
  readonly requests: ReadonlyArray<{
    readonly operation: string;
    readonly path: string;
    readonly query: Readonly<Record<string, string>>;
    readonly headers: Readonly<Record<string, string>>;
    readonly status?: number;
  }>;
  count(operation: string, status?: number): number;
  intercept(
    interceptor:
      | ((
          req: import('node:http').IncomingMessage,
          res: import('node:http').ServerResponse,
          record: { readonly operation: string; readonly query: Readonly<Record<string, string>> },
        ) => boolean)
      | undefined,
  ): void;
  client(): S3Client;
  close(): Promise<void>;
}

export type S3Backend = 'fauxqs' | 's3rver';

const harnessPath = fileURLToPath(new URL('../../../../../tools/s3-server/src/index.ts', import.meta.url));

/** Starts the loopback S3 emulator from tools/s3-server. */
export async function startS3Server(options: { backend?: S3Backend } = {}): Promise<RunningS3Server> {
  const harness = (await import(/* @vite-ignore */ harnessPath)) as {
    startS3Server: (o: { backend?: S3Backend }) => Promise<RunningS3Server>;
  };
  return harness.startS3Server(options);
}
