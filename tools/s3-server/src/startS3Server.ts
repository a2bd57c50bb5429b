/// <reference path="./s3rver.d.ts" />
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { buildApp } from 'fauxqs';
import S3rver from 's3rver';
import { recordRequest, type S3RequestRecord } from './requestLog.js';
import type { S3Operation } from './s3Operation.js';

/** Which emulator to run. */
export type S3Backend = 'fauxqs' | 's3rver';

/**
 * Decides, before the emulator sees it, whether to answer a request itself (fault injection).
 * Return true when the interceptor has ended the response or destroyed the socket.
 */
export type S3Interceptor = (req: IncomingMessage, res: ServerResponse, record: S3RequestRecord) => boolean;

/** Options of {@link startS3Server}. */
export interface StartS3ServerOptions {
  /** Default `fauxqs` (handles aws-chunked bodies and AbortMultipartUpload; keeps objects in memory). */
  readonly backend?: S3Backend;
  /** Buckets to create before returning. Default `['test-bucket']`. */
  readonly buckets?: ReadonlyArray<string>;
}

/** A running S3-protocol server on 127.0.0.1. */
export interface RunningS3Server {
  readonly backend: S3Backend;
  /** `http://127.0.0.1:<port>` — pass as `endpoint` with `forcePathStyle: true`. */
  readonly endpoint: string;
  /** Every request received, in arrival order. */
  readonly requests: ReadonlyArray<S3RequestRecord>;
  /** Whether the backend implements AbortMultipartUpload and ListParts. */
  readonly supports: { readonly abortMultipartUpload: boolean; readonly listParts: boolean };
  /** Number of requests of one operation (optionally only those answered with this status). */
  count(operation: S3Operation, status?: number): number;
  /** Installs (or with `undefined` removes) a fault-injection interceptor. */
  intercept(interceptor: S3Interceptor | undefined): void;
  /** A client configured for this server (path style, checksums only when required). */
  client(): S3Client;
  close(): Promise<void>;
}

/** Static credentials: the emulators accept any signature; the SDK still wants some. */
export const TEST_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** Client settings every test and benchmark must use against these emulators (see TOOLCHAIN.md). */
export function s3ClientFor(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
    // Otherwise the SDK streams bodies with aws-chunked framing, which s3rver stores verbatim.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * Starts an S3-protocol emulator listening on 127.0.0.1 only, with a request log and an
 * optional fault-injection hook placed in front of the emulator's own request handler.
 */
export async function startS3Server(options: StartS3ServerOptions = {}): Promise<RunningS3Server> {
  const backend = options.backend ?? 'fauxqs';
  const requests: S3RequestRecord[] = [];
  let interceptor: S3Interceptor | undefined;

  const wrap =
    (inner: RequestListener): RequestListener =>
    (req, res) => {
      const record = recordRequest(req);
      requests.push(record);
      res.on('finish', () => {
        record.status = res.statusCode;
      });
      if (interceptor?.(req, res, record)) return;
      inner(req, res);
    };

  /** Replaces the server's request listeners with one wrapped listener that logs first. */
  const instrument = (server: Server): void => {
    const listeners = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    for (const listener of listeners) server.on('request', wrap(listener));
  };

  let endpoint: string;
  let stop: () => Promise<void>;
  if (backend === 'fauxqs') {
    const app = buildApp({ logger: false });
    await app.ready();
    instrument(app.server);
    // startFauxqs() always binds 0.0.0.0; listening ourselves keeps the emulator on loopback.
    await app.listen({ host: '127.0.0.1', port: 0 });
    endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    stop = async () => {
      await app.close();
    };
  } else {
    const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
    const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
    const address = await s3rver.run();
    const httpServer = (s3rver as unknown as { httpServer: Server }).httpServer;
    instrument(httpServer);
    endpoint = `http://127.0.0.1:${address.port}`;
    stop = async () => {
      await s3rver.close();
      await rm(directory, { recursive: true, force: true });
    };
  }

  const client = s3ClientFor(endpoint);
  for (const bucket of options.buckets ?? ['test-bucket']) {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }

  return {
    backend,
    endpoint,
    requests,
    supports: { abortMultipartUpload: backend === 'fauxqs', listParts: false },
    count: (operation, status) =>
      requests.filter((r) => r.operation === operation && (status === undefined || r.status === status))
        .length,
    intercept: (next) => {
      interceptor = next;
    },
    client: () => s3ClientFor(endpoint),
    close: async () => {
      client.destroy();
      await stop();
    },
  };
}
