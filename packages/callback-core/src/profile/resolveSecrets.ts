/** Reads `{ env }` secret references from the environment. */
import * as v from 'valibot';
import { InvalidProfileError, MissingSecretError } from '../errors.js';
import { signatureSchemeConfigSchema } from '../signatures/schemas.js';
import type { SignatureSchemeConfig } from '../signatures/types.js';
import { toIssues } from './issues.js';
import { resolveRequestAuth } from './requestHeaders.js';
import { isSecretRef } from './secretRef.js';
import type { ProviderProfile, ResolvedProviderProfile } from './types.js';

const SCHEMES_WITH_TIMESTAMPS = new Set(['standard-webhooks', 'stripe', 'slack', 'hmac', 'sns']);

/**
 * Replaces every `{ env: 'NAME' }` secret of a parsed profile with the variable's value,
 * re-validates the secrets against the scheme's format, and copies the profile's
 * `timestampToleranceSeconds` into the scheme config when the scheme has none, so that
 * `verifySignature(resolved.signature, request)` applies the profile's settings. `requestAuth`
 * credentials are read too and become header sets (see `requestHeadersFor`).
 *
 * @param profile - from {@link parseProviderProfile}
 * @param env - where variables are read from; usually `process.env`
 * @throws {@link MissingSecretError} naming every unset or empty variable
 * @throws {@link InvalidProfileError} when a resolved value has the wrong format for the
 *   scheme (the message names the path, never the value)
 */
export function resolveSecrets(
  profile: ProviderProfile,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedProviderProfile {
  const signature = profile.signature;
  let resolved: unknown = signature;
  if ('secrets' in signature) {
    const missing: string[] = [];
    const secrets = signature.secrets.map((secret) => {
      if (!isSecretRef(secret.value)) return secret;
      const value = env[secret.value.env];
      if (value === undefined || value === '') {
        missing.push(secret.value.env);
        return secret;
      }
      return { ...secret, value };
    });
    if (missing.length > 0) throw new MissingSecretError(profile.id, missing);
    resolved = { ...signature, secrets };
  }
  if (
    SCHEMES_WITH_TIMESTAMPS.has(signature.scheme) &&
    (resolved as { toleranceSeconds?: number }).toleranceSeconds === undefined
  ) {
    resolved = { ...(resolved as object), toleranceSeconds: profile.timestampToleranceSeconds };
  }
  const checked = v.safeParse(signatureSchemeConfigSchema, resolved);
  if (!checked.success) throw new InvalidProfileError(toIssues(checked.issues, 'signature'));
  const config: SignatureSchemeConfig = checked.output;
  return {
    ...profile,
    signature: config,
    requestAuth: resolveRequestAuth(profile.id, profile.requestAuth, env),
  };
}
