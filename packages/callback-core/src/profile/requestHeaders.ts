/** Turns a profile's `requestAuth` into the headers one request may carry. */
import { MissingSecretError } from '../errors.js';
import { hostMatches } from '../urlPolicy/hostPatterns.js';
import { isSecretRef, type SecretRef } from './secretRef.js';
import type { RequestAuthEntry } from './types.js';

/** A `requestAuth` entry with its credential resolved: the headers to send to `hosts`. */
export interface ResolvedRequestAuth {
  readonly hosts: readonly string[];
  /** Header name → value. Secret: never log it. */
  readonly headers: Readonly<Record<string, string>>;
}

function credentialValue(
  value: string | SecretRef,
  env: Readonly<Record<string, string | undefined>>,
  missing: string[],
): string {
  if (!isSecretRef(value)) return value;
  const found = env[value.env];
  if (found === undefined || found === '') missing.push(value.env);
  return found ?? '';
}

function headersOf(
  entry: RequestAuthEntry,
  env: Readonly<Record<string, string | undefined>>,
  missing: string[],
): Record<string, string> {
  switch (entry.type) {
    case 'bearer':
      return { authorization: `Bearer ${credentialValue(entry.token, env, missing)}` };
    case 'header':
      return { [entry.name.toLowerCase()]: credentialValue(entry.value, env, missing) };
    case 'basic': {
      const password = credentialValue(entry.password, env, missing);
      return {
        authorization: `Basic ${Buffer.from(`${entry.username}:${password}`, 'utf8').toString('base64')}`,
      };
    }
  }
}

/**
 * Reads every `{ env }` credential of `requestAuth` and builds the header sets.
 *
 * @throws {@link MissingSecretError} naming every unset or empty variable (never a value)
 */
export function resolveRequestAuth(
  profileId: string,
  entries: readonly RequestAuthEntry[],
  env: Readonly<Record<string, string | undefined>>,
): readonly ResolvedRequestAuth[] {
  const missing: string[] = [];
  const resolved = entries.map((entry) => ({ hosts: entry.hosts, headers: headersOf(entry, env, missing) }));
  if (missing.length > 0) throw new MissingSecretError(profileId, missing, 'requestAuth');
  return resolved;
}

/**
 * The credential headers for a request to `url`: every entry whose host patterns match the URL's
 * host (`api.example.com` exactly, `*.example.com` any subdomain), later entries winning on the
 * same header name. `{}` for any other host, and for a URL that does not parse.
 *
 * Send them only to that URL's origin: fetch-stream's `credentialHeaders` drops them on a redirect
 * to another origin.
 */
export function requestHeadersFor(
  url: string,
  auth: readonly ResolvedRequestAuth[] | undefined,
): Readonly<Record<string, string>> {
  if (auth === undefined || auth.length === 0) return {};
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return {};
  }
  const headers: Record<string, string> = {};
  for (const entry of auth) {
    if (hostMatches(hostname, entry.hosts)) Object.assign(headers, entry.headers);
  }
  return headers;
}
