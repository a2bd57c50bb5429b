/** Lambda entrypoint of the ProbeFile Task. */
import { probeFile } from '../handlers/probeFile.js';
import { lambdaTask } from './lambdaTask.js';

export const handler = lambdaTask(probeFile, { name: 'ProbeFile', needsProfiles: true });
