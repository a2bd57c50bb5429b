/**
 * The peer of the callback benchmark: a bare Hono hello-world on @hono/node-server, the same
 * adapter the service uses. Every route answers `Hello Hono!` without reading the body, so the
 * benchmark can send it the very request it sends the service. With BENCH_READ_BODY=1 it reads
 * the whole body first (the cost any handler that looks at the body pays). Run as a child process
 * by `startChildServer`; prints `READY {"url":…}`.
 */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { READY_PREFIX } from './startChildServer.js';
import { stopWithParent } from './stopWithParent.js';

const app = new Hono();
if (process.env.BENCH_READ_BODY === '1') {
  app.all('*', async (c) => {
    await c.req.arrayBuffer();
    return c.text('Hello Hono!');
  });
} else {
  app.all('*', (c) => c.text('Hello Hono!'));
}

const server = createAdaptorServer({ fetch: app.fetch, hostname: '127.0.0.1' });
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${READY_PREFIX}${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
stopWithParent(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
    }),
);
