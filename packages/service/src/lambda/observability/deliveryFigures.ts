/** The outcome figures of a stored delivery (one place that reads them from the record). */
import type { Delivery } from '../../domain/delivery.js';
import type { DeliveryFigures } from './outcomeMetrics.js';

export function deliveryFigures(delivery: Delivery): DeliveryFigures {
  return {
    status: delivery.status,
    createdAt: delivery.createdAt,
    ...(delivery.callback === undefined ? {} : { callbackReceivedAt: delivery.callback.receivedAt }),
    filesFailed: delivery.files.filter((file) => file.status === 'failed').length,
    bytesDelivered: delivery.files.reduce((sum, file) => sum + file.bytes, 0),
  };
}
