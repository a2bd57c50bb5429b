/**
 * The AWS resource of the DownloadLarge Task: an AWS Batch job (`batch:submitJob.sync`) running
 * batch-runner with the file's URL and target taken from the ProbeFile result.
 */
import type { AslObject, TaskResource } from '../../workflow/buildDeliveryStateMachine.js';

/** Step Functions' Batch integration that waits for the job to end. */
export const BATCH_SUBMIT_JOB_SYNC = 'arn:aws:states:::batch:submitJob.sync';

/** Where the jobs go. */
export interface BatchDownloadTarget {
  readonly jobQueueArn: string;
  readonly jobDefinitionArn: string;
}

/**
 * DownloadLarge as a Batch job. The job name is the delivery id and file index (Batch allows
 * 128 letters, digits, `-`, `_`); the container reads its settings from the environment
 * (batch-runner's `DOWNLOADER_*` variables) filled from `$.probe` and the state input.
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
          { Name: 'DOWNLOADER_URL', 'Value.$': '$.probe.url' },
          { Name: 'DOWNLOADER_KEY', 'Value.$': '$.probe.key' },
        ],
      },
    }),
  };
}
