/** Lambda entrypoint of the NextFileChunk Task. */
import { nextFileChunk } from '../handlers/nextFileChunk.js';
import { lambdaTask } from './lambdaTask.js';

export const handler = lambdaTask(nextFileChunk, { name: 'NextFileChunk', needsProfiles: false });
