/** `Delivery Completed` / `Delivery Failed` events on EventBridge. */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Delivery } from '../../../domain/delivery.js';
import { WorkflowTaskError } from '../../../workflow/errorNames.js';

/** Source of every event this service puts. */
export const EVENT_SOURCE = 'downloader';

/** Detail type per terminal status. */
export function detailTypeFor(status: Delivery['status']): string | undefined {
  switch (status) {
    case 'completed':
      return 'Delivery Completed';
    case 'partially_failed':
      return 'Delivery Partially Failed';
    case 'failed':
    case 'callback_timed_out':
      return 'Delivery Failed';
    default:
      return undefined;
  }
}

/** Puts one event for a delivery that reached a terminal status; nothing for any other status. */
export async function publishDeliveryEvent(
  client: EventBridgeClient,
  eventBusName: string,
  delivery: Delivery,
): Promise<boolean> {
  const detailType = detailTypeFor(delivery.status);
  if (detailType === undefined) return false;
  const detail = {
    deliveryId: delivery.id,
    providerId: delivery.providerId,
    ...(delivery.projectId === undefined ? {} : { projectId: delivery.projectId }),
    ...(delivery.label === undefined ? {} : { label: delivery.label }),
    status: delivery.status,
    files: delivery.counts.files,
    completedFiles: delivery.counts.completed,
    failedFiles: delivery.counts.failed,
    bytes: delivery.counts.bytesDone,
    ...(delivery.error === undefined ? {} : { error: delivery.error }),
  };
  const result = await client.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: eventBusName,
          Source: EVENT_SOURCE,
          DetailType: detailType,
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  if ((result.FailedEntryCount ?? 0) > 0) {
    const entry = result.Entries?.[0];
    // Transient for the workflow's Retry: EventBridge refusals are throttling or internal errors.
    throw new WorkflowTaskError(
      'transient',
      'EVENT_PUT_FAILED',
      `EventBridge refused the event: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim(),
    );
  }
  return true;
}
