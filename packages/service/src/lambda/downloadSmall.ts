/** Lambda entrypoint of the DownloadSmall Task. */
import { downloadSmallFile } from '../handlers/downloadSmallFile.js';
import { lambdaTask } from './lambdaTask.js';

export const handler = lambdaTask(downloadSmallFile, { name: 'DownloadSmall', needsProfiles: true });
