/** Runs a Hono app on node:http. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { coalesceResponses } from './coalesceResponses.js';

/** Connections one listener holds at once; beyond it the kernel's backlog queues them. */
const DEFAULT_MAX_CONNECTIONS = 1024;

/**
 * Set deliberately rather than left to Node's defaults: a client must send its headers within
 * 10 s and its whole request within 30 s (callback and registration bodies are at most a few
 * MiB), an idle keep-alive connection is closed after 5 s, at most 100 headers are read, and at
 * most `maxConnections` sockets are open (a slow-loris client cannot hold every file descriptor).
 */
function applyServerLimits(server: Server, maxConnections: number): void {
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;
  server.maxConnections = maxConnections;
}

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
  options: { readonly host?: string; readonly port?: number; readonly maxConnections?: number } = {},
): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createAdaptorServer({ fetch: coalesceResponses(app.fetch), hostname: host });
  // createAdaptorServer makes a node:http server unless given another createServer.
  applyServerLimits(server as Server, options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
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
