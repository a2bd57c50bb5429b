/** The node:http request behind a Hono context, when the app runs on @hono/node-server. */
import { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * The `IncomingMessage` @hono/node-server passes as `c.env.incoming`, or `undefined` elsewhere
 * (Lambda, `app.request` in tests, HTTP/2): routes read its parsed header list and buffered body
 * instead of building web `Headers` and body objects per request.
 */
export function nodeIncomingOf(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { readonly incoming?: unknown } | undefined)?.incoming;
  return incoming instanceof IncomingMessage ? incoming : undefined;
}
