/** Pre-flight check of a URL including its DNS answers (for callers that do not connect themselves). */
import { lookup as dnsLookup } from 'node:dns/promises';
import { checkResolvedAddress } from './checkResolvedAddress.js';
import { checkUrl } from './checkUrl.js';
import { normaliseHostname } from './hostPatterns.js';
import { parseIpAddress } from './ipAddress.js';
import type { UrlCheckResult, UrlPolicy } from './types.js';

/** One DNS answer. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to every address it has (like `dns.lookup(host, { all: true })`). */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

const systemResolver: HostResolver = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/**
 * {@link checkUrl}, then resolves the host and checks every answer with
 * {@link checkResolvedAddress}: one private answer among public ones refuses the URL, since
 * the client may connect to any of them.
 *
 * This is an early, friendly refusal only. The answers can change before the download
 * connects (DNS rebinding), so the connect-time guard from `createConnectGuard` stays required.
 *
 * @param options.resolve - resolver to use; defaults to the system resolver (`dns.lookup`)
 */
export async function resolveAndCheckUrl(
  url: string | URL,
  policy: UrlPolicy,
  options: { readonly resolve?: HostResolver } = {},
): Promise<UrlCheckResult> {
  const verdict = checkUrl(url, policy);
  if (!verdict.ok) return verdict;
  const parsed = typeof url === 'string' ? new URL(url) : url;
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
  let answers: readonly ResolvedAddress[];
  try {
    answers = await (options.resolve ?? systemResolver)(normaliseHostname(parsed.hostname));
  } catch (error) {
    return {
      ok: false,
      reason: 'invalid_address',
      message: `Host "${parsed.hostname}" did not resolve: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (answers.length === 0) {
    return { ok: false, reason: 'invalid_address', message: `Host "${parsed.hostname}" has no addresses.` };
  }
  // As in the connect guard: only a URL naming the address itself may use the loopback exception.
  const literal = parseIpAddress(normaliseHostname(parsed.hostname)) !== undefined;
  for (const answer of answers) {
    const addressVerdict = checkResolvedAddress(
      answer.address,
      answer.family,
      policy,
      literal ? port : undefined,
    );
    if (!addressVerdict.ok) return addressVerdict;
  }
  return { ok: true };
}
