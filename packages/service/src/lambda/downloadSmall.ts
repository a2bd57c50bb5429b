/** Lambda entrypoint of the DownloadSmall Task: one batch of small files per invocation. */
import { downloadFileBatch } from '../handlers/downloadFileBatch.js';
import { lambdaTask } from './lambdaTask.js';

export const handler = lambdaTask(downloadFileBatch, { name: 'DownloadSmall', needsProfiles: true });
