/** Middleware: a bearer token for every route but the provider's callbacks and the health check. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { HttpError } from './HttpError.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Refuses (401) any request without `Authorization: Bearer <token>`, except `POST /callbacks/{id}`
 * (authenticated by the provider's signature or capability URL), `GET /healthz` and the dashboard
 * page `GET /`, which holds no data: its script sends the token it finds in the page's `#token=`
 * fragment (which browsers never send to a server). Compared in constant time.
 */
export function requireApiToken(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    const path = c.req.path;
    const open =
      (c.req.method === 'POST' && path.startsWith('/callbacks/')) ||
      path === '/healthz' ||
      (c.req.method === 'GET' && path === '/');
    if (!open) {
      const match = /^Bearer ([\x21-\x7e]+)$/.exec(c.req.header('authorization') ?? '');
      if (match?.[1] === undefined || !timingSafeEqual(digest(match[1]), expected)) {
        const error = new HttpError(
          401,
          'unauthorized',
          "This API needs Authorization: Bearer <token> (the service's DOWNLOADER_API_TOKEN).",
        );
        return c.json(error.toBody(), 401, { 'www-authenticate': 'Bearer' });
      }
    }
    await next();
    return undefined;
  };
}
