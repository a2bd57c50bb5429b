/** Lambda entrypoint of the ResolveFiles Task. */
import { resolveFiles } from '../handlers/resolveFiles.js';
import { lambdaTask } from './lambdaTask.js';

export const handler = lambdaTask(resolveFiles, { name: 'ResolveFiles', needsProfiles: true });
