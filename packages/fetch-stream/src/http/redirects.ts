import { InsecureRedirectError, RedirectLoopError, TooManyRedirectsError } from '../errors.js';
import type { ConnectGuard } from '../types.js';
import { resolveAndGuard } from './guardedLookup.js';
import type { ConnectionPool } from './h1/ConnectionPool.js';
import { type Exchange, type RequestTimeouts, sendRequest } from './request.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that must not follow a redirect to another origin (they carry credentials). */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export interface FollowOptions {
  readonly headers: Readonly<Record<string, string>>;
  /** Sent only while the request stays on `credentialOrigin`; dropped for good once it leaves. */
  readonly credentialHeaders?: Readonly<Record<string, string>>;
  readonly credentialOrigin?: string;
  readonly pool: ConnectionPool;
  readonly timeouts: RequestTimeouts;
  readonly signal: AbortSignal;
  readonly guard: ConnectGuard | undefined;
  readonly maxRedirects: number;
  /** Called once per HTTP request sent (for the request counter). */
  readonly onRequest: () => void;
}

/**
 * Sends a GET and follows redirects itself, so that every hop is guarded, counted and
 * capped, and loops are detected. Returns the first non-redirect response.
 */
export async function getFollowingRedirects(start: URL, opts: FollowOptions): Promise<Exchange> {
  let url = start;
  const credentials = opts.credentialHeaders ?? {};
  const sensitive = new Set([...CREDENTIAL_HEADERS, ...Object.keys(credentials).map((k) => k.toLowerCase())]);
  let headers: Record<string, string> =
    start.origin === opts.credentialOrigin ? { ...opts.headers, ...credentials } : { ...opts.headers };
  const seen = new Set<string>([url.href]);
  for (let hop = 0; ; hop++) {
    const approved = opts.guard ? await resolveAndGuard(url, hop, opts.guard) : undefined;
    opts.onRequest();
    const ex = await sendRequest({
      url,
      headers,
      pool: opts.pool,
      timeouts: opts.timeouts,
      signal: opts.signal,
      approved,
    });
    const status = ex.res.statusCode ?? 0;
    const location = ex.res.headers.location;
    if (!REDIRECT_STATUSES.has(status) || location === undefined) return ex;
    // Drain nothing: the redirect body is irrelevant; drop the socket rather than read it.
    ex.res.resume();
    ex.dispose();
    if (hop + 1 > opts.maxRedirects) throw new TooManyRedirectsError(opts.maxRedirects);
    const next = new URL(location, url);
    if (url.protocol === 'https:' && next.protocol === 'http:') throw new InsecureRedirectError(next.href);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new InsecureRedirectError(next.href);
    if (seen.has(next.href)) throw new RedirectLoopError(next.href);
    seen.add(next.href);
    if (next.origin !== url.origin) {
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !sensitive.has(k.toLowerCase())));
    }
    url = next;
  }
}
