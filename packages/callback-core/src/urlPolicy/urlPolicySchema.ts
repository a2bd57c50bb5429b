/** valibot schema of a provider's {@link UrlPolicy}, as written in a profile. */
import { domainToASCII } from 'node:url';
import * as v from 'valibot';
import { parseIpAddress } from './ipAddress.js';

const MAX_HOST_PATTERNS = 256;

const LABELS = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/;

function isHostPattern(pattern: string): boolean {
  if (pattern.length === 0 || pattern.length > 253) return false;
  const bare = pattern.startsWith('*.') ? pattern.slice(2) : pattern;
  if (bare === pattern && parseIpAddress(pattern) !== undefined) return true;
  const ascii = domainToASCII(bare.toLowerCase());
  // A wildcard over a single label ("*.com") would allow half the internet.
  if (bare !== pattern && !ascii.replace(/\.$/, '').includes('.')) return false;
  return ascii !== '' && LABELS.test(ascii);
}

const port = v.pipe(v.number(), v.integer('a port is an integer'), v.minValue(1), v.maxValue(65_535));

/** Schema of the `urlPolicy` block of a provider profile. */
export const urlPolicySchema = v.strictObject({
  allowHttp: v.optional(v.boolean(), false),
  allowedHosts: v.optional(
    v.pipe(
      v.array(
        v.pipe(
          v.string(),
          v.check(
            isHostPattern,
            'expected a host name ("files.example.com"), a wildcard over a registered domain ("*.example.com") or an IP address',
          ),
        ),
      ),
      v.maxLength(MAX_HOST_PATTERNS),
    ),
    [],
  ),
  allowedPorts: v.optional(v.pipe(v.array(port), v.minLength(1), v.maxLength(64))),
  loopbackException: v.optional(
    v.strictObject({
      host: v.picklist(['127.0.0.1', '::1'], 'the loopback exception is only for 127.0.0.1 or ::1'),
      port,
    }),
  ),
});

/** A URL policy after validation and defaults. */
export type ParsedUrlPolicy = v.InferOutput<typeof urlPolicySchema>;
