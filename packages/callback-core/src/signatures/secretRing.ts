import type { SigningSecret } from './types.js';

/**
 * The secrets valid at `now`: a secret is tried only inside its `[notBefore, notAfter]` window, so a
 * rotated-out secret stops verifying on schedule even while it is still listed in the config.
 */
export function activeSecrets(secrets: readonly SigningSecret[], now: Date): SigningSecret[] {
  const at = now.getTime();
  return secrets.filter(
    (secret) =>
      (secret.notBefore === undefined || secret.notBefore.getTime() <= at) &&
      (secret.notAfter === undefined || at <= secret.notAfter.getTime()),
  );
}

/** The message for "no secret matched", naming how many were tried (never their values). */
export function noMatchMessage(tried: number, listed: number): string {
  if (listed > 0 && tried === 0)
    return 'no configured secret is valid at this time (all outside their windows)';
  return `signature does not match any of the ${tried} active secret(s)`;
}
