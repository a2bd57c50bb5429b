/** Failure of a large-file job, with whether a new attempt may succeed. */
import { ServiceError } from '../../../domain/errors.js';

export class LargeFileRunnerError extends ServiceError {
  /** True when the runner saved its state and a new attempt resumes (exit 75, a kill, a spawn hiccup). */
  readonly retryable: boolean;
  /** The child's exit code, or undefined when it was ended by a signal or never started. */
  readonly exitCode: number | undefined;

  constructor(message: string, init: { retryable: boolean; exitCode?: number; cause?: unknown }) {
    super('LARGE_FILE_RUNNER_FAILED', message, { cause: init.cause });
    this.name = 'LargeFileRunnerError';
    this.retryable = init.retryable;
    this.exitCode = init.exitCode;
  }
}
