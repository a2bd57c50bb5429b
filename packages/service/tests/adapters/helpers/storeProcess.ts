/**
 * A SqliteDeliveryStore in its own process, as a second downloader service would open it. Prints
 * one JSON line on stdout.
 *
 *   storeProcess.ts <db> read <id>    opens the store, prints `{"status": …}` (or `{"error": …}` when
 *                                     the store cannot be opened), closes it and exits
 *   storeProcess.ts <db> hold <id>    opens the store, creates delivery <id> and marks it failed,
 *                                     prints `{"holding": true}` and keeps the store open until killed
 */
import { SqliteDeliveryStore } from '../../../src/adapters/local/sqlite/SqliteDeliveryStore.js';

const [dbPath = '', action = '', id = ''] = process.argv.slice(2);

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

let store: SqliteDeliveryStore;
try {
  store = new SqliteDeliveryStore({ path: dbPath });
} catch (error) {
  const { name, code, message } = error as { name?: string; code?: string; message?: string };
  print({ error: { name, code, message } });
  process.exit(0);
}

if (action === 'read') {
  print({ status: (await store.get(id))?.status ?? null });
  await store.close();
} else if (action === 'hold') {
  await store.create({
    id,
    providerId: 'demo',
    createdAt: '2026-11-27T22:00:00.000Z',
    expiresAt: '2026-11-28T22:00:00.000Z',
  });
  await store.transition(id, ['awaiting_callback'], 'failed');
  print({ holding: true });
  // Held until the test kills this process.
  setInterval(() => undefined, 60_000);
} else {
  print({ error: { message: `unknown action ${action}` } });
  process.exit(2);
}
