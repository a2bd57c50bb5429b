import { describeDeliveryStore } from '../contract/describeDeliveryStore.js';
import { InMemoryDeliveryStore } from './helpers/InMemoryDeliveryStore.js';

describeDeliveryStore('InMemoryDeliveryStore (the routing tests double)', async () => {
  const clock = { now: new Date('2026-11-27T09:00:00.000Z') };
  return { store: new InMemoryDeliveryStore({ now: () => clock.now }), clock, async dispose() {} };
});
