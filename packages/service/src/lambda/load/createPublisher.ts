/** EventBridge publisher of the entrypoints (loaded on first use). */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { AWS_ENV, required } from '../../adapters/aws/awsSettings.js';
import { publishDeliveryEvent } from '../../adapters/aws/events/publishDeliveryEvent.js';
import type { Delivery } from '../../domain/delivery.js';
import { traced } from '../observability/traced.js';
import { endpoint } from './clientOptions.js';

export function createPublisher(
  env: Readonly<Record<string, string | undefined>>,
): (delivery: Delivery) => Promise<boolean> {
  const client = traced(new EventBridgeClient({ ...endpoint(env, AWS_ENV.eventsEndpoint) }));
  const bus = required(env, AWS_ENV.eventBus);
  return (delivery) => publishDeliveryEvent(client, bus, delivery);
}
