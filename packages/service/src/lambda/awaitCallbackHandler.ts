/** AwaitCallback on AWS: stores the task token; completes the task at once if the wait is moot. */
import { registerTaskToken } from '../handlers/registerTaskToken.js';
import { TaskInputError } from '../handlers/taskInput.js';
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { awsDependencies } from './awsDependencies.js';
import { withObservability } from './observability/withObservability.js';

/**
 * Invoked through `lambda:invoke.waitForTaskToken` with `{ deliveryId, taskToken }`. When the
 * callback was accepted before the token was stored (or the delivery already ended), nobody would
 * ever send the token: the handler sends it itself so the execution moves on.
 */
export function awaitCallbackHandler(event: JsonValue): Promise<{ waiting: boolean }> {
  return withObservability('AwaitCallback', event, () => storeToken(event));
}

async function storeToken(event: JsonValue): Promise<{ waiting: boolean }> {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new TaskInputError('Task input must be a JSON object.');
  }
  const { deliveryId, taskToken } = event;
  if (typeof deliveryId !== 'string' || typeof taskToken !== 'string') {
    throw new TaskInputError('AwaitCallback needs deliveryId and taskToken.');
  }
  const deps = awsDependencies();
  const skip = await registerTaskToken(await deps.store(), deliveryId, taskToken);
  if (skip) {
    const store = await deps.store();
    await (await deps.engine()).sendTaskSuccess(taskToken, { skipped: true });
    // Consumed: a stored token means one nobody has sent yet (duplicate callbacks and the
    // reconciler re-send those).
    await store.deleteTaskToken(deliveryId);
  }
  return { waiting: !skip };
}
