/** Lambda entrypoint of the MarkDeliveryFailed Task. */
import { markDeliveryFailed } from '../handlers/markDeliveryFailed.js';
import { lambdaTask } from './lambdaTask.js';
import { publishOnTerminal } from './publishOnTerminal.js';

export const handler = lambdaTask(markDeliveryFailed, {
  name: 'MarkDeliveryFailed',
  needsProfiles: false,
  after: publishOnTerminal,
});
