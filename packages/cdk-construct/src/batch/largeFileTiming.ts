/** How long a large file may take on AWS, from the Batch job's attempts and per-attempt timeout. */
import { Duration } from 'aws-cdk-lib';

/**
 * Time a job may wait in the queue before each attempt (Fargate capacity, image pull). Part of the
 * DownloadLarge task's budget so that a job Batch still retries is never cut by the task timeout.
 */
export const QUEUE_ALLOWANCE_PER_ATTEMPT = Duration.hours(1);

/**
 * The DownloadLarge Task's timeout: every Batch attempt at its own timeout, plus queue time before
 * each. Retries of a job live in Batch (exit code 75, resumed from the upload journal); the Task
 * only waits for them, so its timeout must cover them all.
 */
export function largeFileTaskTimeout(attempts: number, attemptTimeout: Duration): Duration {
  return Duration.seconds(attempts * (attemptTimeout.toSeconds() + QUEUE_ALLOWANCE_PER_ATTEMPT.toSeconds()));
}
