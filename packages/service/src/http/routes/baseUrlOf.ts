/** The base of callback URLs for a request. */
import type { Context } from 'hono';
import type { AppDeps } from '../AppDeps.js';

/** The configured public base URL, else the origin the request came to. */
export function baseUrlOf(c: Context, deps: AppDeps): string {
  return deps.publicBaseUrl ?? new URL(c.req.url).origin;
}
