/** Lambda entrypoint of the MarkCallbackTimedOut Task. */
import { markCallbackTimedOut } from '../handlers/markCallbackTimedOut.js';
import { lambdaTask } from './lambdaTask.js';
import { publishOnTerminal } from './publishOnTerminal.js';

export const handler = lambdaTask(markCallbackTimedOut, {
  name: 'MarkCallbackTimedOut',
  needsProfiles: false,
  after: publishOnTerminal,
});
