/** Validates a provider profile from config (JSON / YAML / code). */
import * as v from 'valibot';
import { InvalidProfileError, type Issue } from '../errors.js';
import { DEFAULT_TOLERANCE_SECONDS } from '../signatures/timestampTolerance.js';
import { DEFAULT_SNS_TOLERANCE_SECONDS } from '../signatures/verifySns.js';
import { toIssues } from './issues.js';
import { providerProfileSchema } from './providerProfileSchema.js';
import { isSecretRef, type SecretRef, secretRefSchema } from './secretRef.js';
import type { ProfileSignatureConfig, ProviderProfile } from './types.js';

// Stand-ins that satisfy every scheme's secret format, so the rest of the signature config is
// validated now even though the real value only arrives from the environment later.
const PLACEHOLDER_STANDARD_WEBHOOKS = `whsec_${'A'.repeat(43)}=`;
const PLACEHOLDER_OTHER = '0'.repeat(32);

interface RefExtraction {
  readonly input: unknown;
  readonly refs: ReadonlyMap<number, SecretRef>;
  readonly issues: readonly Issue[];
}

/** Swaps `{ env }` secret values for placeholders, remembering where they were. */
function extractSecretRefs(input: unknown): RefExtraction {
  const refs = new Map<number, SecretRef>();
  const issues: Issue[] = [];
  if (typeof input !== 'object' || input === null) return { input, refs, issues };
  const signature: unknown = (input as Record<string, unknown>).signature;
  if (typeof signature !== 'object' || signature === null) return { input, refs, issues };
  const secrets: unknown = (signature as Record<string, unknown>).secrets;
  if (!Array.isArray(secrets)) return { input, refs, issues };
  const scheme: unknown = (signature as Record<string, unknown>).scheme;
  const placeholder = scheme === 'standard-webhooks' ? PLACEHOLDER_STANDARD_WEBHOOKS : PLACEHOLDER_OTHER;
  const replaced = secrets.map((secret: unknown, index) => {
    if (typeof secret !== 'object' || secret === null) return secret;
    const value: unknown = (secret as Record<string, unknown>).value;
    if (!isSecretRef(value)) return secret;
    const ref = v.safeParse(secretRefSchema, value);
    // An invalid reference is reported here; the placeholder keeps the scheme schema from
    // reporting the same value a second time as "not a string".
    if (ref.success) refs.set(index, ref.output);
    else issues.push(...toIssues(ref.issues, `signature.secrets[${index}].value`));
    return { ...secret, value: placeholder };
  });
  return {
    input: { ...input, signature: { ...signature, secrets: replaced } },
    refs,
    issues,
  };
}

function restoreSecretRefs(
  signature: ProfileSignatureConfig,
  refs: ReadonlyMap<number, SecretRef>,
): ProfileSignatureConfig {
  if (refs.size === 0 || !('secrets' in signature)) return signature;
  return {
    ...signature,
    secrets: signature.secrets.map((secret, index) => {
      const ref = refs.get(index);
      return ref === undefined ? secret : { ...secret, value: ref };
    }),
  };
}

function defaultTolerance(signature: ProfileSignatureConfig): number {
  if ('toleranceSeconds' in signature && signature.toleranceSeconds !== undefined)
    return signature.toleranceSeconds;
  // SNS retries keep the original timestamp, so its window must cover the retry schedule.
  return signature.scheme === 'sns' ? DEFAULT_SNS_TOLERANCE_SECONDS : DEFAULT_TOLERANCE_SECONDS;
}

/**
 * Validates a provider profile and fills in defaults.
 *
 * Secret values may be given as `{ "env": "NAME" }` so config files never hold secrets; they
 * stay references in the result until {@link resolveSecrets} reads the environment.
 *
 * @param input - the profile as parsed from JSON / YAML, or built in code
 * @returns the typed profile
 * @throws {@link InvalidProfileError} listing every problem with its path (e.g.
 *   `files.urlField`, `signature.secrets[1].value`); secret values are never echoed.
 *
 * @example
 * ```ts
 * const profile = parseProviderProfile({
 *   id: 'acme',
 *   signature: { scheme: 'standard-webhooks', secrets: [{ id: '2026-11', value: { env: 'ACME_SECRET' } }] },
 *   files: { source: 'inline', path: '/data/files' },
 *   urlPolicy: { allowedHosts: ['*.acme-cdn.example'] },
 * });
 * ```
 */
export function parseProviderProfile(input: unknown): ProviderProfile {
  const extraction = extractSecretRefs(input);
  const result = v.safeParse(providerProfileSchema, extraction.input);
  if (!result.success || extraction.issues.length > 0) {
    throw new InvalidProfileError([...extraction.issues, ...(result.success ? [] : toIssues(result.issues))]);
  }
  const profile = result.output;
  const signature = restoreSecretRefs(profile.signature, extraction.refs);
  return {
    ...profile,
    signature,
    timestampToleranceSeconds: profile.timestampToleranceSeconds ?? defaultTolerance(signature),
  };
}
