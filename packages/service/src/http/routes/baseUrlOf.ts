/** The base of callback URLs for a request. */
import type { Context } from 'hono';
import type { AppDeps } from '../AppDeps.js';

/**
 * The configured public base URL, else the listener's own address: never the request's `Host`,
 * which a rebound web page or a confused proxy chooses. Only where neither is known (Lambda
 * behind API Gateway, which routes by host itself) the request's origin.
 */
export function baseUrlOf(c: Context, deps: AppDeps): string {
  return deps.publicBaseUrl ?? deps.listenerUrl?.() ?? new URL(c.req.url).origin;
}
