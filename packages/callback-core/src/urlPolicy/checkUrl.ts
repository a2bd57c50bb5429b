/** Static (pre-resolution) check of a URL against a provider's URL policy. */
import { checkResolvedAddress, isLoopbackException } from './checkResolvedAddress.js';
import { hostMatches, normaliseHostname, specialUseName } from './hostPatterns.js';
import { formatIpAddress, parseIpAddress } from './ipAddress.js';
import type { UrlCheckResult, UrlPolicy } from './types.js';

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'https:': 443, 'http:': 80 };

/**
 * Checks a URL before any connection: scheme (`https`, `http` only with `allowHttp`), no
 * userinfo, host allowlist, port rules, and — when the host is an IP literal in any spelling
 * (`2130706433`, `0x7f.1`, `[::ffff:127.0.0.1]` …) or a special-use name (`localhost`,
 * `*.localhost`, `*.internal` …) — the address rules of {@link checkResolvedAddress}.
 *
 * A host name that passes here may still resolve to a private address: pair this with the
 * connect-time guard from `createConnectGuard`.
 *
 * @returns `{ ok: true }` or `{ ok: false, reason, message }`; never throws.
 */
export function checkUrl(url: string | URL, policy: UrlPolicy): UrlCheckResult {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return { ok: false, reason: 'invalid_url', message: 'Not a valid absolute URL.' };
  }
  const scheme = parsed.protocol;
  const defaultPort = DEFAULT_PORTS[scheme];
  if (defaultPort === undefined) {
    return { ok: false, reason: 'scheme', message: `Scheme "${scheme}" is not allowed; use https.` };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return {
      ok: false,
      reason: 'userinfo',
      message: 'URLs with a user name or password are not allowed (they hide the real host).',
    };
  }
  const host = normaliseHostname(parsed.hostname);
  if (host === '') return { ok: false, reason: 'invalid_url', message: 'The URL has no host.' };
  const port = parsed.port === '' ? defaultPort : Number(parsed.port);
  const ip = parseIpAddress(host);

  // The exception is for exactly one address and port; it bypasses scheme and allowlist
  // rules because a local demo provider has no TLS certificate and no public name.
  if (ip !== undefined && isLoopbackException(ip, port, policy)) return { ok: true };

  if (ip !== undefined) {
    const verdict = checkResolvedAddress(host, ip.family, policy, port);
    if (!verdict.ok) return verdict;
  } else {
    const special = specialUseName(host);
    if (special !== undefined) {
      return {
        ok: false,
        reason: 'private_address',
        range: special,
        message: `Host "${host}" is a special-use name that never points at a public address.`,
      };
    }
  }

  // Checked after the address so that a refusal names the worse problem: a loopback target
  // over http is reported as loopback, not as a scheme mistake.
  if (scheme === 'http:' && policy.allowHttp !== true) {
    return {
      ok: false,
      reason: 'scheme',
      message: 'Plain http is not allowed for this provider; use https.',
    };
  }

  const allowed = policy.allowedHosts ?? [];
  if (allowed.length > 0) {
    const subject = ip === undefined ? host : formatIpAddress(ip);
    if (!hostMatches(subject, allowed)) {
      return {
        ok: false,
        reason: 'host_not_allowed',
        message: `Host "${subject}" is not in this provider's allowed hosts.`,
      };
    }
  }

  const ports = policy.allowedPorts ?? [defaultPort];
  if (!ports.includes(port)) {
    return {
      ok: false,
      reason: 'port_not_allowed',
      message: `Port ${port} is not allowed for this provider (allowed: ${ports.join(', ')}).`,
    };
  }
  return { ok: true };
}
