/** Middleware: response headers that keep browsers from misreading or framing the API and dashboard. */
import type { MiddlewareHandler } from 'hono';

/**
 * Every answer: `X-Content-Type-Options: nosniff` (a JSON error is never run as a script or
 * page) and `Referrer-Policy: no-referrer` (a callback URL in the address bar never leaks). The
 * dashboard page adds its own Content-Security-Policy (see `dashboardHtml`).
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('x-content-type-options', 'nosniff');
    c.res.headers.set('referrer-policy', 'no-referrer');
  };
}
