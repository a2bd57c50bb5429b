/** Runs a Hono app on node:http. */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { coalesceResponses } from './coalesceResponses.js';

/** A listening server. */
export interface RunningHttpServer {
  /** `http://<host>:<port>` */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, ends open connections, resolves when closed. */
  close(): Promise<void>;
}

/**
 * Serves `app` on `host:port` (port 0: any free port). Responses that finish in the same turn of
 * the event loop are written together at its end (see `coalesceResponses`).
 * @default host 127.0.0.1: the registration API is not meant for other machines
 */
export async function startHttpServer(
  app: Hono,
  options: { readonly host?: string; readonly port?: number } = {},
): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createAdaptorServer({ fetch: coalesceResponses(app.fetch), hostname: host });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    // Idempotent: a test or a signal handler may close twice.
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      return closing;
    },
  };
}
