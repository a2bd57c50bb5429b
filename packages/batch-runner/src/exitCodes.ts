/**
 * Process exit codes of `batch-runner` (sysexits.h numbers). An AWS Batch retry strategy
 * should retry on 75 only: `evaluateOnExit: [{ onExitCode: '75', action: 'RETRY' }, { onExitCode: '*', action: 'EXIT' }]`.
 */
export const ExitCode = {
  /** The object (or file) is complete and verified. */
  Success: 0,
  /** Bad arguments or environment (EX_USAGE). Fix the job definition; retrying will not help. */
  Usage: 64,
  /** The source refused the download for good: a 4xx other than 408/429, a blocked redirect (EX_DATAERR). */
  SourceRefused: 65,
  /** The bytes failed verification (sha256, size): nothing was published (EX_NOINPUT, used as "verification failed"). */
  VerificationFailed: 66,
  /** An unexpected internal error (EX_SOFTWARE). */
  Internal: 70,
  /** Transient: network, 5xx, S3 errors, SIGTERM. State is saved; run again to resume (EX_TEMPFAIL). */
  Retryable: 75,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
