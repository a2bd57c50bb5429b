/** Connect-time check of an address DNS actually returned. */
import { classifyAddress } from './classifyAddress.js';
import { formatIpAddress, type IpAddress, parseIpAddress } from './ipAddress.js';
import type { UrlCheckResult, UrlPolicy } from './types.js';

/** True when `address:port` is exactly the policy's loopback exception. */
export function isLoopbackException(
  address: IpAddress,
  port: number | undefined,
  policy: UrlPolicy,
): boolean {
  const exception = policy.loopbackException;
  if (exception === undefined || port !== exception.port) return false;
  const text = formatIpAddress(address);
  if (exception.host === '::1') return text === '::1';
  // A dual-stack socket may report the IPv4 loopback as ::ffff:127.0.0.1.
  return text === '127.0.0.1' || text === '::ffff:7f00:1';
}

/**
 * Checks one address the connection is about to go to (after DNS resolution). Refuses every
 * non-public range in any spelling, unless it is exactly the policy's loopback exception
 * (which needs `port`).
 *
 * @param address - the resolved address, e.g. from `dns.lookup` or a socket's `remoteAddress`
 * @param family - 4 or 6, as the resolver reported it; an address that does not parse as that
 *   family is refused as `invalid_address`
 * @param policy - the provider's URL policy
 * @param port - the port being connected to; needed only to match the loopback exception
 */
export function checkResolvedAddress(
  address: string,
  family: 4 | 6,
  policy: UrlPolicy,
  port?: number,
): UrlCheckResult {
  const parsed = parseIpAddress(address);
  if (parsed === undefined || parsed.family !== family) {
    return {
      ok: false,
      reason: 'invalid_address',
      message: `"${address}" is not an IPv${family} address; refusing to connect.`,
    };
  }
  if (isLoopbackException(parsed, port, policy)) return { ok: true };
  const verdict = classifyAddress(parsed);
  if (verdict.range === 'public') return { ok: true };
  const via =
    verdict.embeddedIpv4 === undefined ? '' : ` (embeds ${verdict.embeddedIpv4} via ${verdict.via})`;
  return {
    ok: false,
    reason: 'private_address',
    range: verdict.range,
    ...(verdict.embeddedIpv4 === undefined ? {} : { embeddedIpv4: verdict.embeddedIpv4 }),
    message: `Address ${address}${via} is not public (${verdict.range}); downloads may only connect to public addresses.`,
  };
}
