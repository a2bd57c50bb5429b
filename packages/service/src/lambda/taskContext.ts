/** The task handlers' context on AWS: DynamoDB, S3, fetch-stream, and no in-Lambda large-file runner. */
import type { ResolvedProviderProfile } from '@downloader/callback-core';
import { download } from '@downloader/fetch-stream';
import type { TaskContext } from '../handlers/TaskContext.js';
import type { LargeFileRunner } from '../ports/LargeFileRunner.js';
import { WorkflowTaskError } from '../workflow/errorNames.js';
import type { AwsDependencies } from './awsDependencies.js';

/** In the cloud, DownloadLarge is an AWS Batch job (`batch:submitJob.sync`), never a Lambda call. */
const noLargeFilesInLambda: LargeFileRunner = {
  run: async () => {
    throw new WorkflowTaskError(
      'permanent',
      'LARGE_FILE_RUNNER_FAILED',
      'Large files run as AWS Batch jobs; a Lambda function was asked to run one.',
    );
  },
};

/** A context for one invocation (the signal ends with the invocation's remaining time). */
export async function taskContext(
  deps: AwsDependencies,
  profiles: ReadonlyMap<string, ResolvedProviderProfile>,
  signal: AbortSignal,
  largeFiles: LargeFileRunner = noLargeFilesInLambda,
): Promise<TaskContext> {
  const [store, objects] = await Promise.all([deps.store(), deps.objects()]);
  return { store, objects, largeFiles, profiles, download, signal, now: () => new Date() };
}
