/** Host allowlist matching and special-use host names. */
import { domainToASCII } from 'node:url';
import { formatIpAddress, parseIpAddress } from './ipAddress.js';
import type { AddressRange } from './types.js';

/** Lower-cases, converts to ASCII (punycode) and drops trailing dots and IPv6 brackets. */
export function normaliseHostname(hostname: string): string {
  let host = hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) return host.slice(1, -1);
  while (host.endsWith('.')) host = host.slice(0, -1);
  // domainToASCII returns '' for names it cannot convert; keep the input then so the
  // comparison simply fails instead of matching the empty string.
  return domainToASCII(host) || host;
}

interface CompiledPatterns {
  readonly exact: ReadonlySet<string>;
  /** `.example.com` for each `*.example.com`. */
  readonly suffixes: readonly string[];
}

// A policy's pattern list is checked once per file URL (up to 10 000 per callback); normalising
// it once per list instead of once per URL keeps that linear. Keyed by the (readonly) array.
const compiledPatterns = new WeakMap<readonly string[], CompiledPatterns>();

function compile(patterns: readonly string[]): CompiledPatterns {
  const cached = compiledPatterns.get(patterns);
  if (cached !== undefined) return cached;
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const raw of patterns) {
    if (raw.startsWith('*.')) {
      const suffix = normaliseHostname(raw.slice(2));
      if (suffix !== '') suffixes.push(`.${suffix}`);
    } else {
      exact.add(canonicalHost(raw));
    }
  }
  const compiled = { exact, suffixes };
  compiledPatterns.set(patterns, compiled);
  return compiled;
}

/**
 * True when `hostname` matches one of `patterns`: `example.com` matches only that host,
 * `*.example.com` matches any subdomain at any depth (not the apex).
 */
export function hostMatches(hostname: string, patterns: readonly string[]): boolean {
  const host = canonicalHost(hostname);
  const { exact, suffixes } = compile(patterns);
  return exact.has(host) || suffixes.some((suffix) => host.endsWith(suffix));
}

/** Host names normalised; IP literals in canonical form so `::ffff:7f00:1` equals `::ffff:127.0.0.1`. */
function canonicalHost(hostname: string): string {
  const host = normaliseHostname(hostname);
  const ip = parseIpAddress(host);
  return ip === undefined ? host : formatIpAddress(ip);
}

// Names that never resolve to a public address: RFC 6761/6762/8375 and the internal zones
// cloud providers use for metadata (metadata.google.internal).
const SPECIAL_SUFFIXES: readonly (readonly [string, AddressRange])[] = [
  ['localhost', 'loopback'],
  ['local', 'private'],
  ['internal', 'private'],
  ['home.arpa', 'private'],
  ['localdomain', 'private'],
];

/** The range a special-use host name (`localhost`, `*.localhost`, `*.internal` …) implies, if any. */
export function specialUseName(hostname: string): AddressRange | undefined {
  const host = normaliseHostname(hostname);
  for (const [suffix, range] of SPECIAL_SUFFIXES) {
    if (host === suffix || host.endsWith(`.${suffix}`)) return range;
  }
  return undefined;
}
