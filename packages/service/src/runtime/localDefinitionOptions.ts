/**
 * The options the local runtime builds the definition with. The states are the cloud's; two
 * settings differ, because locally the batch task is not a Lambda invocation:
 * - one batch is the whole delivery ({@link WHOLE_DELIVERY}), so DownloadSmall's window of
 *   `maxConcurrency` files slides over every file of it: a new file starts as soon as any ends;
 * - that batch may run as long as the delivery does (it also runs the large files, each in a
 *   child process), not Lambda's 15 minutes.
 */
import { type DeliveryStateMachineOptions, WHOLE_DELIVERY } from '../workflow/buildDeliveryStateMachine.js';
import { localResources } from '../workflow/localResources.js';

/**
 * Twenty days: a local batch is cut only where a delivery has clearly stopped. The embedded
 * engine times a Task with one `setTimeout`, whose limit is 2^31 - 1 ms (24.8 days).
 */
const LOCAL_BATCH_TIMEOUT_SECONDS = 20 * 24 * 3600;

/** Options of `buildDeliveryStateMachine` for the embedded engine. */
export function localDefinitionOptions(
  overrides: { readonly fileBatchSize?: number } = {},
): DeliveryStateMachineOptions {
  return {
    resources: localResources(),
    fileBatchSize: overrides.fileBatchSize ?? WHOLE_DELIVERY,
    batchTimeoutSeconds: LOCAL_BATCH_TIMEOUT_SECONDS,
  };
}
