/**
 * The AWS Batch container's entrypoint for DownloadLarge: runs the service's `downloadLargeFile`
 * task (store bookkeeping included) for the file named by `DOWNLOADER_DELIVERY_ID` and
 * `DOWNLOADER_FILE_INDEX`, then exits with batch-runner's codes so the job definition's retry
 * strategy (retry on 75 only) applies.
 */
import { ExitCode } from '@downloader/batch-runner';
import { downloadLargeFile } from '../../../handlers/downloadLargeFile.js';
import { createAwsDependencies } from '../../../lambda/awsDependencies.js';
import { taskContext } from '../../../lambda/taskContext.js';
import { WORKFLOW_ERRORS } from '../../../workflow/errorNames.js';
import { required } from '../awsSettings.js';
import { InProcessLargeFileRunner } from './InProcessLargeFileRunner.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Exit code for `error`: 75 when a new attempt may succeed (transient, or stopped by SIGTERM). */
export function exitCodeFor(error: unknown, aborted: boolean): number {
  if (aborted) return ExitCode.Retryable;
  return (error as { name?: unknown } | undefined)?.name === WORKFLOW_ERRORS.transient
    ? ExitCode.Retryable
    : ExitCode.SourceRefused;
}

/** Runs one job; resolves to the process exit code. */
export async function runDownloadLargeJob(env: Env, signal: AbortSignal): Promise<number> {
  const deliveryId = required(env, 'DOWNLOADER_DELIVERY_ID');
  const index = Number(required(env, 'DOWNLOADER_FILE_INDEX'));
  const deps = createAwsDependencies(env);
  try {
    const profiles = await deps.profiles();
    const ctx = await taskContext(deps, profiles, signal, new InProcessLargeFileRunner());
    await downloadLargeFile(ctx, { deliveryId, index });
    return ExitCode.Success;
  } catch (error) {
    const code = exitCodeFor(error, signal.aborted);
    process.stderr.write(
      `${JSON.stringify({ level: 'error', event: 'failed', deliveryId, index, exitCode: code, error: String((error as Error).message ?? error) })}\n`,
    );
    return code;
  }
}
