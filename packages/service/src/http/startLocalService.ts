/** The whole local service: embedded runtime + HTTP app on node:http. */
import type { ServiceConfig } from '../config/ServiceConfig.js';
import {
  createLocalRuntime,
  type LocalRuntime,
  type LocalRuntimeConfig,
} from '../runtime/createLocalRuntime.js';
import type { AppDeps } from './AppDeps.js';
import { createApp } from './createApp.js';
import { createSnsCertificateFetcher } from './createSnsCertificateFetcher.js';
import { normaliseHost } from './hostAllowList.js';
import { createJsonLogger, type Logger } from './logger.js';
import { type RunningHttpServer, startHttpServer } from './startHttpServer.js';

/** A running local service. */
export interface LocalService {
  /** Where the HTTP API and the dashboard listen. */
  readonly url: string;
  readonly runtime: LocalRuntime;
  readonly server: RunningHttpServer;
  /** The callbacks-only listener, when `server.callbacks` is configured. */
  readonly callbackServer?: RunningHttpServer;
  /** Stops the HTTP server, then the runtime (unfinished deliveries resume on the next start). */
  close(): Promise<void>;
}

/** Options of {@link startLocalService}. */
export interface LocalServiceOptions {
  /** @default JSON lines on stdout */
  readonly logger?: Logger;
  /** Runtime settings beyond the config (tests: retry delays, instrumentation). */
  readonly runtime?: Partial<Omit<LocalRuntimeConfig, 'profiles'>>;
}

// One certificate cache per process, shared by both listeners (SNS providers only use it).
const snsCertificateFetcher = createSnsCertificateFetcher();

function depsFor(
  config: ServiceConfig,
  runtime: LocalRuntime,
  logger: Logger,
  publicBaseUrl: string | undefined,
  listenerUrl?: () => string | undefined,
): AppDeps {
  return {
    store: runtime.store,
    engine: runtime.engine,
    providers: config.providers,
    workflow: config.workflow,
    logger,
    snsCertificateFetcher,
    ...(publicBaseUrl === undefined ? {} : { publicBaseUrl }),
    ...(listenerUrl === undefined ? {} : { listenerUrl }),
  };
}

/** The names the private listener answers for, once its port is known. */
function privateHostNames(config: ServiceConfig, port: number): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]', ...(config.server.allowedHosts ?? [])];
  const bind = config.server.host;
  // A wildcard bind has no name of its own; other names come from allowedHosts.
  if (bind !== '0.0.0.0' && bind !== '::') names.push(bind.includes(':') ? `[${bind}]` : bind);
  const allowed = new Set<string>();
  for (const name of names) {
    const hasPort = /^\[.*\]:\d+$/.test(name) || /^[^:[\]]+:\d+$/.test(name);
    const host = normaliseHost(hasPort ? name : `${name}:${port}`);
    if (host !== undefined) allowed.add(host);
  }
  const publicBase = config.server.publicBaseUrl;
  if (publicBase !== undefined) allowed.add(new URL(publicBase).host);
  return allowed;
}

function limitsOf(config: ServiceConfig): { maxConnections?: number } {
  return config.server.maxConnections === undefined ? {} : { maxConnections: config.server.maxConnections };
}

/**
 * Starts the embedded runtime on `config.dataDir` / `config.downloadsDir` (driving on every
 * unfinished delivery found there) and serves the HTTP API on `config.server.host:port`; with
 * `config.server.callbacks`, also a callbacks-only listener whose URL becomes the base of the
 * callback URLs (unless `publicBaseUrl` is set).
 */
export async function startLocalService(
  config: ServiceConfig,
  options: LocalServiceOptions = {},
): Promise<LocalService> {
  const logger = options.logger ?? createJsonLogger();
  const runtime = await createLocalRuntime({
    stateDir: config.dataDir,
    downloadsDir: config.downloadsDir,
    profiles: config.providers,
    largeFileThreshold: config.workflow.largeFileThreshold,
    maxConcurrency: config.workflow.maxConcurrency,
    defaultCallbackTimeoutSeconds: config.workflow.callbackTimeoutSeconds,
    ...(config.workflow.minBytesPerSecond === undefined
      ? {}
      : { minBytesPerSecond: config.workflow.minBytesPerSecond }),
    onLog: (line) => logger.info(line, { component: 'runtime' }),
    ...options.runtime,
  });
  let server: RunningHttpServer;
  let callbackServer: RunningHttpServer | undefined;
  try {
    const callbacks = config.server.callbacks;
    if (callbacks !== undefined) {
      // Started first so its address can be the base of the callback URLs handed out.
      callbackServer = await startHttpServer(
        createApp(depsFor(config, runtime, logger, undefined), { routes: 'callbacks' }),
        { ...callbacks, ...limitsOf(config) },
      );
    }
    // Filled once the listener listens (port 0 picks its port then); until then nothing is served.
    const allowedHosts = new Set<string>();
    let ownUrl: string | undefined;
    const app = createApp(
      depsFor(config, runtime, logger, config.server.publicBaseUrl ?? callbackServer?.url, () => ownUrl),
      {
        allowedHosts,
        ...(config.server.apiToken === undefined ? {} : { apiToken: config.server.apiToken }),
      },
    );
    server = await startHttpServer(app, {
      host: config.server.host,
      port: config.server.port,
      ...limitsOf(config),
    });
    ownUrl = server.url;
    for (const name of privateHostNames(config, server.port)) allowedHosts.add(name);
  } catch (error) {
    await callbackServer?.close();
    await runtime.close();
    throw error;
  }
  return {
    url: server.url,
    runtime,
    server,
    ...(callbackServer === undefined ? {} : { callbackServer }),
    async close() {
      await Promise.all([server.close(), callbackServer?.close()]);
      await runtime.close();
    },
  };
}
