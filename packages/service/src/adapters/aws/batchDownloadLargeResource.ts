/**
 * The AWS resource of the DownloadLarge Task: an AWS Batch job (`batch:submitJob.sync`) that
 * runs the DownloadLarge task handler with batch-runner's download in the container.
 */
import type { AslObject, TaskResource } from '../../workflow/buildDeliveryStateMachine.js';

/** Step Functions' Batch integration that waits for the job to end. */
export const BATCH_SUBMIT_JOB_SYNC = 'arn:aws:states:::batch:submitJob.sync';

/**
 * Errors of the submit call itself (Batch throttling or a Batch server fault, as Step Functions
 * names them) that a new DownloadLarge attempt may not see. A job that ran and failed after all
 * its Batch attempts surfaces as `States.TaskFailed` and is not in this list: Batch already
 * retried it (exit code 75, resuming from the upload journal each time).
 */
export const BATCH_SUBMIT_RETRY_ERRORS: readonly string[] = [
  'Batch.AWSBatchException',
  'Batch.ServerException',
];

/** Where the jobs go. */
export interface BatchDownloadTarget {
  readonly jobQueueArn: string;
  readonly jobDefinitionArn: string;
}

/**
 * DownloadLarge as a Batch job. The job name is the delivery id and file index (Batch allows
 * 128 letters, digits, `-`, `_`). The container (`batch/main.ts`) runs the same
 * `downloadLargeFile` task as the local runtime, so it needs only the delivery id and index;
 * everything else comes from the store and the job definition's environment.
 */
export function batchDownloadLargeResource(target: BatchDownloadTarget): TaskResource {
  return {
    resource: BATCH_SUBMIT_JOB_SYNC,
    parameters: (_payload: AslObject): AslObject => ({
      'JobName.$': "States.Format('dl-{}-{}', $.deliveryId, $.index)",
      JobQueue: target.jobQueueArn,
      JobDefinition: target.jobDefinitionArn,
      ContainerOverrides: {
        Environment: [
          { Name: 'DOWNLOADER_DELIVERY_ID', 'Value.$': '$.deliveryId' },
          { Name: 'DOWNLOADER_FILE_INDEX', 'Value.$': "States.Format('{}', $.index)" },
        ],
      },
    }),
  };
}
