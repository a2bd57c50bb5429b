/** Lambda entrypoint of the Finalize Task. */
import { finalizeDelivery } from '../handlers/finalizeDelivery.js';
import { lambdaTask } from './lambdaTask.js';
import { publishOnTerminal } from './publishOnTerminal.js';

export const handler = lambdaTask(finalizeDelivery, {
  name: 'Finalize',
  needsProfiles: false,
  after: publishOnTerminal,
});
