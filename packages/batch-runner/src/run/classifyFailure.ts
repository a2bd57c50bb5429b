import { FetchStreamError } from '@downloader/fetch-stream';
import { BatchRunnerError } from '../errors.js';
import { ExitCode, type ExitCodeValue } from '../exitCodes.js';

/** How a failed run ends: the exit code and a stable code for the log. */
export interface FailureClass {
  readonly exitCode: ExitCodeValue;
  readonly code: string;
  readonly message: string;
}

/**
 * Exit codes by error `code`, for batch-runner's and fetch-stream's errors alike (the S3
 * sink's `S3_*` codes included). A fetch-stream code not listed is judged by its `retryable`.
 */
const EXIT_BY_CODE: Readonly<Record<string, ExitCodeValue>> = {
  USAGE: ExitCode.Usage,
  INVALID_OPTIONS: ExitCode.Usage,
  S3_INVALID_USE: ExitCode.Usage,
  S3_BUDGET_TOO_SMALL: ExitCode.Usage,
  CHECKSUM_MISMATCH: ExitCode.VerificationFailed,
  SIZE_MISMATCH: ExitCode.VerificationFailed,
  S3_VERIFICATION_FAILED: ExitCode.VerificationFailed,
  // Stopped by a signal, or by the sink: state is kept and a later attempt resumes.
  STOPPED: ExitCode.Retryable,
  ABORTED: ExitCode.Retryable,
  SINK: ExitCode.Retryable,
  S3_REQUEST_FAILED: ExitCode.Retryable,
  S3_SOURCE_CHANGED: ExitCode.Retryable,
  S3_ABORTED: ExitCode.Retryable,
};

/** An error that carries a stable code: batch-runner's, or fetch-stream's (its S3 sink's included). */
type CodedError = BatchRunnerError | FetchStreamError;

function isCoded(e: unknown): e is CodedError {
  return e instanceof BatchRunnerError || e instanceof FetchStreamError;
}

/**
 * The coded error that decides: batch-runner's own wherever it is on the `cause` chain (it may
 * travel inside fetch-stream's wrapper of a sink failure), else the outermost coded one, looking
 * through a generic `SINK` wrapper to a more specific cause (an S3 failure inside a SinkError).
 */
function codedErrorOf(error: unknown): CodedError | undefined {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && chain.length < 10; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
    if (typeof e !== 'object' || e === null) break;
  }
  const runner = chain.find((e) => e instanceof BatchRunnerError);
  if (runner instanceof BatchRunnerError) return runner;
  const coded = chain.filter(isCoded);
  return coded.find((e) => e.code !== 'SINK') ?? coded[0];
}

/** Maps any failure of a run to its exit code. */
export function classifyFailure(error: unknown): FailureClass {
  const coded = codedErrorOf(error);
  if (coded === undefined) {
    return {
      exitCode: ExitCode.Internal,
      code: 'INTERNAL',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  const listed = EXIT_BY_CODE[coded.code];
  const exitCode =
    listed ??
    (coded instanceof FetchStreamError && coded.retryable ? ExitCode.Retryable : ExitCode.SourceRefused);
  return { exitCode, code: coded.code, message: coded.message };
}
