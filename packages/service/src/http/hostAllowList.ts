/** Middleware: the private listener answers only requests addressed to one of its own names. */
import type { MiddlewareHandler } from 'hono';
import { HttpError } from './HttpError.js';

/** `host[:port]` as URL parsing normalises it (lower case, default port dropped), or undefined. */
export function normaliseHost(value: string): string | undefined {
  if (value === '' || /[\s/?#@\\]/.test(value)) return undefined;
  try {
    return new URL(`http://${value}`).host;
  } catch {
    return undefined;
  }
}

/**
 * Refuses (421) a request whose `Host` is not in `allowed`: a page on another site whose name
 * was rebound to 127.0.0.1 (DNS rebinding) reaches the listener, but with its own name in
 * `Host`, so it can neither read deliveries nor register. The set is read per request, so the
 * names of a listener on port 0 can be added once it listens.
 */
export function hostAllowList(allowed: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    const host = normaliseHost(c.req.header('host') ?? '');
    if (host === undefined || !allowed.has(host)) {
      throw new HttpError(
        421,
        'host_not_allowed',
        'This server does not answer for that host name; use its own address or the configured public URL.',
      );
    }
    await next();
  };
}
