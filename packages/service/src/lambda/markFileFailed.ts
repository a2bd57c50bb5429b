/** Lambda entrypoint of the MarkFileFailed Task. */
import { markFileFailed } from '../handlers/markFileFailed.js';
import { lambdaTask } from './lambdaTask.js';

export const handler = lambdaTask(markFileFailed, { name: 'MarkFileFailed', needsProfiles: false });
