/** The outcome figures of a stored delivery (one place that reads them from the record). */
import type { DeliveryHeader } from '../../domain/delivery.js';
import type { DeliveryFigures } from './outcomeMetrics.js';

export function deliveryFigures(delivery: DeliveryHeader): DeliveryFigures {
  return {
    status: delivery.status,
    createdAt: delivery.createdAt,
    ...(delivery.callback === undefined ? {} : { callbackReceivedAt: delivery.callback.receivedAt }),
    // From the counts the store keeps: no file record is read.
    filesFailed: delivery.counts.failed,
    bytesDelivered: delivery.counts.bytesDone,
  };
}
