/** The one Hono app: Lambda behind API Gateway and node:http locally serve the same routes. */
import { Hono } from 'hono';
import { DASHBOARD_HEADERS, dashboardHtml } from '../dashboard/dashboardHtml.js';
import type { AppDeps } from './AppDeps.js';
import { HttpError } from './HttpError.js';
import { hostAllowList } from './hostAllowList.js';
import { createJsonLogger, silentLogger } from './logger.js';
import { requestLog } from './requestLog.js';
import { requireApiToken } from './requireApiToken.js';
import { getDelivery } from './routes/getDelivery.js';
import { healthz } from './routes/healthz.js';
import { listDeliveries } from './routes/listDeliveries.js';
import { listFiles } from './routes/listFiles.js';
import { receiveCallback } from './routes/receiveCallback.js';
import { registerDelivery } from './routes/registerDelivery.js';
import { securityHeaders } from './securityHeaders.js';

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /**
   * `callbacks`: only `POST /callbacks/{id}` and `GET /healthz`, for a listener exposed to
   * providers while registration, reads and the dashboard stay private. @default 'all'
   */
  readonly routes?: 'all' | 'callbacks';
  /**
   * `Host` values (as `normaliseHost` spells them) the app answers; others get 421. Read per
   * request. @default any (Lambda: API Gateway routes by host itself)
   */
  readonly allowedHosts?: ReadonlySet<string>;
  /** Bearer token for every route but callbacks, `/healthz` and the page. @default none */
  readonly apiToken?: string;
}

/**
 * Builds the HTTP API.
 *
 * | route | answer |
 * |---|---|
 * | `POST /deliveries` | 201 `{ id, callbackUrl, status, expiresAt }`; honours `Idempotency-Key` |
 * | `POST /callbacks/{id}` | 202 accepted, 200 duplicate, 400/401/404/409/410/413/415 refused |
 * | `GET /deliveries/{id}` | the delivery, its counts and the first page of its files |
 * | `GET /deliveries/{id}/files` | a page of files: `status`, `cursor`, `limit` (1-1000) |
 * | `GET /deliveries` | newest first, counts without files, `status` filter, `cursor` paging |
 * | `GET /healthz` | 200 when the store answers |
 * | `GET /` | the dashboard page |
 *
 * Every error is `{ "error": { "code", "message" } }`.
 */
export function createApp(deps: AppDeps, options: CreateAppOptions = {}): Hono {
  const resolved: AppDeps = { ...deps, logger: deps.logger ?? createJsonLogger() };
  const logger = resolved.logger;
  const app = new Hono();
  // The silent logger drops every line: no middleware layer per request just to build one.
  if (logger !== undefined && logger !== silentLogger) app.use(requestLog(logger));
  app.use(securityHeaders());
  if (options.allowedHosts !== undefined) app.use(hostAllowList(options.allowedHosts));
  if (options.apiToken !== undefined) app.use(requireApiToken(options.apiToken));

  app.post('/callbacks/:id', (c) => receiveCallback(c, resolved));
  app.get('/healthz', (c) => healthz(c, resolved));
  if (options.routes !== 'callbacks') {
    app.post('/deliveries', (c) => registerDelivery(c, resolved));
    app.get('/deliveries', (c) => listDeliveries(c, resolved));
    app.get('/deliveries/:id', (c) => getDelivery(c, resolved));
    app.get('/deliveries/:id/files', (c) => listFiles(c, resolved));
    app.get('/', (c) => c.html(dashboardHtml(), 200, DASHBOARD_HEADERS));
  }

  app.notFound((c) =>
    c.json(new HttpError(404, 'not_found', `No route ${c.req.method} ${c.req.path}.`).toBody(), 404),
  );
  app.onError((error, c) => {
    if (error instanceof HttpError) {
      if (error.status < 500 && c.req.method === 'POST' && c.req.path.startsWith('/callbacks/')) {
        resolved.onCallbackRefused?.(error.code);
      }
      return c.json(error.toBody(), error.status);
    }
    logger?.error('unhandled error', {
      method: c.req.method,
      path: c.req.path,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return c.json(new HttpError(500, 'internal_error', 'Internal error; see the server log.').toBody(), 500);
  });
  return app;
}
