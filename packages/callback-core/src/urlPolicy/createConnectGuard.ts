/** The connect-time guard that plugs into fetch-stream's `connectGuard` option. */
import { BlockedUrlError } from '../errors.js';
import { checkResolvedAddress } from './checkResolvedAddress.js';
import { checkUrl } from './checkUrl.js';
import { normaliseHostname } from './hostPatterns.js';
import { parseIpAddress } from './ipAddress.js';
import type { ConnectGuard, ConnectTarget, UrlPolicy } from './types.js';

/**
 * Returns a guard for fetch-stream's `connectGuard` option. The engine calls it with every
 * address it is about to connect to, on the first request and on every redirect hop; the
 * guard re-checks the hop's URL ({@link checkUrl}) and the resolved address
 * ({@link checkResolvedAddress}), so DNS rebinding and redirects into private space both fail.
 *
 * @throws {@link BlockedUrlError} (from the returned function) when the connection is refused.
 *
 * @example
 * ```ts
 * await download({ url, sink, connectGuard: createConnectGuard(profile.urlPolicy) });
 * ```
 */
export function createConnectGuard(policy: UrlPolicy): ConnectGuard {
  return (target: ConnectTarget): void => {
    const urlVerdict = checkUrl(target.url, policy);
    if (!urlVerdict.ok)
      throw new BlockedUrlError(urlVerdict, { url: target.url.href, address: target.address });
    // The loopback exception is for a URL that names the address itself: a host name that
    // happens to resolve to 127.0.0.1 does not get it (the port is withheld, so it cannot match).
    const literal = parseIpAddress(normaliseHostname(target.url.hostname)) !== undefined;
    const addressVerdict = checkResolvedAddress(
      target.address,
      target.family,
      policy,
      literal ? target.port : undefined,
    );
    if (!addressVerdict.ok) {
      throw new BlockedUrlError(addressVerdict, { url: target.url.href, address: target.address });
    }
  };
}
