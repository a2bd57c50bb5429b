import { FetchStreamError } from '@downloader/fetch-stream';
import { S3SinkError } from '@downloader/fetch-stream/s3';
import { BatchRunnerError } from '../errors.js';
import { ExitCode, type ExitCodeValue } from '../exitCodes.js';

/** How a failed run ends: the exit code and a stable code for the log. */
export interface FailureClass {
  readonly exitCode: ExitCodeValue;
  readonly code: string;
  readonly message: string;
}

/** Errors along the `cause` chain, outermost first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && chain.length < 10; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
    if (typeof e !== 'object' || e === null) break;
  }
  return chain;
}

/** Maps any failure of a run to its exit code. */
export function classifyFailure(error: unknown): FailureClass {
  const chain = causes(error);
  const message = error instanceof Error ? error.message : String(error);
  const runner = chain.find((e): e is BatchRunnerError => e instanceof BatchRunnerError);
  if (runner) {
    const exitCode =
      runner.code === 'USAGE'
        ? ExitCode.Usage
        : runner.code === 'STOPPED'
          ? ExitCode.Retryable
          : ExitCode.VerificationFailed;
    return { exitCode, code: runner.code, message: runner.message };
  }
  const s3 = chain.find((e): e is S3SinkError => e instanceof S3SinkError);
  if (s3) {
    const exitCode =
      s3.code === 'S3_VERIFICATION_FAILED'
        ? ExitCode.VerificationFailed
        : s3.code === 'S3_INVALID_USE' || s3.code === 'S3_BUDGET_TOO_SMALL'
          ? ExitCode.Usage
          : ExitCode.Retryable;
    return { exitCode, code: s3.code, message: s3.message };
  }
  const fetchError = chain.find((e): e is FetchStreamError => e instanceof FetchStreamError);
  if (fetchError) {
    const exitCode =
      fetchError.code === 'CHECKSUM_MISMATCH'
        ? ExitCode.VerificationFailed
        : fetchError.code === 'INVALID_OPTIONS'
          ? ExitCode.Usage
          : fetchError.retryable || fetchError.code === 'ABORTED' || fetchError.code === 'SINK'
            ? ExitCode.Retryable
            : ExitCode.SourceRefused;
    return { exitCode, code: fetchError.code, message: fetchError.message };
  }
  return { exitCode: ExitCode.Internal, code: 'INTERNAL', message };
}
