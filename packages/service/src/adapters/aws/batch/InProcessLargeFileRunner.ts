/** Large-file runner inside the AWS Batch container: batch-runner's run, in this process. */
import { classifyFailure, ExitCode, JsonLogger, runBatchJob } from '@downloader/batch-runner';
import { createConnectGuard } from '@downloader/callback-core';
import type { LargeFileJob, LargeFileResult, LargeFileRunner } from '../../../ports/LargeFileRunner.js';
import { LargeFileRunnerError } from '../../local/runner/LargeFileRunnerError.js';

/** Options of {@link InProcessLargeFileRunner}. */
export interface InProcessLargeFileRunnerOptions {
  /** Connections to the source. @default 4 */
  readonly connections?: number;
  /** Where batch-runner's JSON log lines go. @default stdout (CloudWatch Logs in Batch) */
  readonly write?: (line: string) => void;
  /** How often progress is logged and reported to the job's `onProgress`. @default 5000 */
  readonly progressIntervalMs?: number;
}

/**
 * The Batch job already is the isolated, retried unit the local child process stands for, so the
 * download runs here with the same code the `batch-runner` CLI runs, and the same classification:
 * what batch-runner would exit 75 for is retryable.
 */
export class InProcessLargeFileRunner implements LargeFileRunner {
  readonly #connections: number;
  readonly #write: (line: string) => void;
  readonly #progressIntervalMs: number;

  constructor(options: InProcessLargeFileRunnerOptions = {}) {
    this.#connections = options.connections ?? 4;
    this.#write = options.write ?? ((line) => process.stdout.write(line));
    this.#progressIntervalMs = options.progressIntervalMs ?? 5000;
  }

  /** Passes log lines on and feeds the `progress` lines' bytes to the job (the file record's progress). */
  #progressTap(job: LargeFileJob): (line: string) => void {
    return (line) => {
      this.#write(line);
      if (job.onProgress === undefined || !line.includes('"event":"progress"')) return;
      const bytes = (JSON.parse(line) as { bytes?: unknown }).bytes;
      if (typeof bytes === 'number') job.onProgress(bytes);
    };
  }

  async run(job: LargeFileJob): Promise<LargeFileResult> {
    if (job.target.kind !== 's3') {
      throw new LargeFileRunnerError('The AWS Batch runner writes to S3 only.', { retryable: false });
    }
    try {
      const summary = await runBatchJob({
        settings: {
          url: job.url,
          s3: {
            bucket: job.target.bucket,
            key: job.target.key,
            ...(job.target.endpoint === undefined ? {} : { endpoint: job.target.endpoint }),
          },
          // Every checksum the provider declared is verified before the object is published.
          ...(job.expected?.sha256 === undefined ? {} : { sha256: job.expected.sha256 }),
          ...(job.expected?.md5 === undefined ? {} : { md5: job.expected.md5 }),
          ...(job.expected?.crc32c === undefined ? {} : { crc32c: job.expected.crc32c }),
          ...(job.size === undefined ? {} : { size: job.size }),
          ...(job.maxBytes === undefined ? {} : { maxBytes: job.maxBytes }),
          connections: this.#connections,
          deliveryId: job.deliveryId,
          progressIntervalMs: this.#progressIntervalMs,
        },
        logger: new JsonLogger(this.#progressTap(job), job.deliveryId),
        ...(job.signal === undefined ? {} : { signal: job.signal }),
        // Every hop (first request and redirects) passes the provider's URL policy at connect
        // time; no policy means the strictest one, never none.
        connectGuard: createConnectGuard(job.urlPolicy ?? {}),
        ...(job.credentialHeaders === undefined ? {} : { credentialHeaders: job.credentialHeaders }),
      });
      job.onProgress?.(summary.bytes);
      return { bytes: summary.bytes, sha256: summary.sha256 };
    } catch (error) {
      const failure = classifyFailure(error);
      throw new LargeFileRunnerError(`${failure.code}: ${failure.message}`, {
        retryable: failure.exitCode === ExitCode.Retryable,
        exitCode: failure.exitCode,
        cause: error,
      });
    }
  }
}
