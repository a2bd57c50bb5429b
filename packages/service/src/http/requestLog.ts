/** One structured log line per request, with the delivery id when the path names one. */
import type { MiddlewareHandler } from 'hono';
import type { Logger } from './logger.js';

const DELIVERY_PATH = /^\/(?:deliveries|callbacks)\/([A-Za-z0-9_-]{32})$/;

/** Logs method, path kind, status, duration and delivery id; never headers or bodies (signatures, secrets). */
export function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const deliveryId = DELIVERY_PATH.exec(c.req.path)?.[1];
    const fields = {
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      ...(deliveryId === undefined ? {} : { deliveryId }),
    };
    if (c.res.status >= 500) logger.error('request', fields);
    else logger.info('request', fields);
  };
}
