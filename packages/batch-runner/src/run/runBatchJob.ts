import {
  type ConnectGuard,
  type DownloadResult,
  download,
  type ExpectedChecksums,
  FileSink,
  type Sink,
} from '@downloader/fetch-stream';
import { S3Sink, type S3UploadResult } from '@downloader/fetch-stream/s3';
import { BatchRunnerError } from '../errors.js';
import { ExitCode } from '../exitCodes.js';
import type { JsonLogger } from '../log/JsonLogger.js';
import type { Settings } from '../settings/Settings.js';
import { classifyFailure } from './classifyFailure.js';
import { createS3Client } from './createS3Client.js';
import { SizeCheckingSink } from './SizeCheckingSink.js';

/** The final summary of a successful run (also logged as the `done` line). */
export interface RunSummary {
  readonly target: string;
  readonly bytes: number;
  readonly seconds: number;
  readonly sha256: string;
  /** S3 parts (0 for a single PutObject or a file). */
  readonly parts: number;
  /** Bytes a previous attempt had stored and this one did not fetch or upload again. */
  readonly resumedBytes: number;
  readonly uploadedParts?: number;
  readonly crc32?: string;
  readonly etag?: string;
  readonly retries: number;
  readonly restartedBecauseChanged: boolean;
}

/** Options of {@link runBatchJob}. */
export interface RunBatchJobOptions {
  readonly settings: Settings;
  readonly logger: JsonLogger;
  /** Fires on SIGTERM: the run stops, saves its state and rejects with an `ABORTED` error. */
  readonly signal?: AbortSignal;
  /**
   * Vets every address before it is connected to, on the first request and on every redirect
   * hop (fetch-stream's `ConnectGuard`); a refusal fails the run with `BLOCKED_ADDRESS` (exit 65).
   * batch-runner has no URL policy of its own: a caller with one (the downloader service) supplies it.
   */
  readonly connectGuard?: ConnectGuard;
  /**
   * Credential headers (fetch-stream `credentialHeaders`): sent only to the origin of
   * `settings.url`, dropped on a redirect to another origin, never logged.
   */
  readonly credentialHeaders?: Readonly<Record<string, string>>;
}

/**
 * Downloads `settings.url` into S3 (or a file) with fetch-stream, resuming whatever an earlier
 * attempt left (the S3 journal beside the key, or the file's journal), and logs progress.
 * @throws whatever the download throws; {@link classifyFailure} maps it to an exit code.
 */
export async function runBatchJob(options: RunBatchJobOptions): Promise<RunSummary> {
  const { settings, logger } = options;
  const started = Date.now();
  const client = settings.s3 ? createS3Client(settings.s3) : undefined;
  let s3Sink: S3Sink | undefined;
  let sink: Sink;
  let target: string;
  if (settings.s3 && client) {
    s3Sink = new S3Sink({
      client,
      bucket: settings.s3.bucket,
      key: settings.s3.key,
      ...(settings.partSize === undefined ? {} : { minPartSize: settings.partSize }),
      ...(settings.memoryBudget === undefined ? {} : { memoryBudget: settings.memoryBudget }),
      ...(settings.sha256 === undefined ? {} : { expectedSha256: settings.sha256 }),
      maxBufferedParts: settings.connections,
    });
    sink = s3Sink;
    target = `s3://${settings.s3.bucket}/${settings.s3.key}`;
  } else {
    sink = new FileSink(settings.toFile ?? '');
    target = settings.toFile ?? '';
  }
  if (settings.size !== undefined) sink = new SizeCheckingSink(sink, settings.size);

  logger.log('info', 'start', {
    url: redactUrl(settings.url),
    target,
    connections: settings.connections,
    ...(settings.size === undefined ? {} : { expectedSize: settings.size }),
    ...(settings.sha256 === undefined ? {} : { expectedSha256: settings.sha256 }),
    ...(settings.md5 === undefined ? {} : { expectedMd5: settings.md5 }),
    ...(settings.crc32c === undefined ? {} : { expectedCrc32c: settings.crc32c }),
  });
  // Every checksum the provider declared is verified by the download before anything is published.
  const expected = expectedChecksums(settings);
  let result: DownloadResult;
  const forcedStop = s3Sink && options.signal ? stopSinkIfStuck(s3Sink, options.signal, logger) : undefined;
  try {
    const downloading = download(settings.url, {
      sink,
      connections: settings.connections,
      ...(expected === undefined ? {} : { checksum: expected }),
      ...(settings.maxBytes === undefined ? {} : { maxBytes: settings.maxBytes }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.connectGuard === undefined ? {} : { connectGuard: options.connectGuard }),
      ...(options.credentialHeaders === undefined ? {} : { credentialHeaders: options.credentialHeaders }),
      progressIntervalMs: settings.progressIntervalMs,
      onProgress: (p) =>
        logger.log('info', 'progress', {
          bytes: p.bytes,
          ...(p.total === undefined ? {} : { total: p.total }),
          rate: Math.round(p.rate),
          ...(p.etaSeconds === undefined ? {} : { etaSeconds: Math.round(p.etaSeconds) }),
          activeConnections: p.activeConnections,
        }),
    });
    result = await (forcedStop ? Promise.race([downloading, forcedStop.stopped]) : downloading);
  } catch (error) {
    // A failure no retry will fix: abort the multipart upload and drop its journal now rather
    // than leave parts for the bucket's lifecycle rule. Retryable failures keep both.
    if (s3Sink && !options.signal?.aborted && classifyFailure(error).exitCode !== ExitCode.Retryable) {
      await s3Sink.discard().then(
        () => logger.log('warn', 'upload-aborted', { reason: 'permanent failure' }),
        (discardError: unknown) =>
          logger.log('warn', 'upload-abort-failed', { message: (discardError as Error).message }),
      );
    }
    throw error;
  } finally {
    forcedStop?.cancel();
    client?.destroy();
  }
  const upload: S3UploadResult | undefined = s3Sink?.result;
  return {
    target,
    bytes: result.bytes,
    seconds: (Date.now() - started) / 1000,
    sha256: result.sha256,
    parts: upload?.parts ?? 0,
    resumedBytes: result.resumedBytes,
    ...(upload === undefined
      ? {}
      : {
          uploadedParts: upload.uploadedParts,
          crc32: upload.crc32,
          ...(upload.etag ? { etag: upload.etag } : {}),
        }),
    retries: result.retries,
    restartedBecauseChanged: result.restartedBecauseChanged,
  };
}

/** After a stop signal, how long the engine gets to wind down before the sink is closed directly. */
const FORCED_STOP_MS = 3000;

/**
 * Once `signal` fires, gives the download {@link FORCED_STOP_MS} to stop by itself; if it has
 * not, closes the S3 sink directly (in-flight parts get their grace, the journal is written) and
 * rejects `stopped`, so a stop never depends on every engine worker noticing the abort.
 */
function stopSinkIfStuck(
  sink: S3Sink,
  signal: AbortSignal,
  logger: JsonLogger,
): { stopped: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      timer = setTimeout(() => {
        logger.log('warn', 'forced-stop', {
          reason: 'the download did not stop in time; saving the upload state directly',
        });
        sink.close().then(
          () => reject(new BatchRunnerError('STOPPED', 'stopped by a signal; the upload state was saved')),
          (error: unknown) => reject(error),
        );
      }, FORCED_STOP_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  stopped.catch(() => undefined);
  return {
    stopped,
    cancel: () => {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    },
  };
}

/** Drops the query string (it may hold a signature) and any userinfo from a URL for logs. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  if (u.search) u.search = '?…';
  return u.href;
}

/** The expected checksums of `settings`, or undefined when none was given. */
function expectedChecksums(settings: Settings): ExpectedChecksums | undefined {
  const expected: ExpectedChecksums = {
    ...(settings.sha256 === undefined ? {} : { sha256: settings.sha256 }),
    ...(settings.md5 === undefined ? {} : { md5: settings.md5 }),
    ...(settings.crc32c === undefined ? {} : { crc32c: settings.crc32c }),
  };
  return Object.keys(expected).length === 0 ? undefined : expected;
}
