import { digestsEqual } from './timingSafeCompare.js';
import type { SigningSecret } from './types.js';

/**
 * Tries every active secret against every presented digest; returns the first secret that matches.
 * `digest` computes the expected digest for one secret (once per secret, not per presented signature).
 */
export function matchSecret(
  secrets: readonly SigningSecret[],
  presented: readonly Uint8Array[],
  digest: (secret: SigningSecret) => Buffer | undefined,
): SigningSecret | undefined {
  for (const secret of secrets) {
    const expected = digest(secret);
    if (expected !== undefined && presented.some((candidate) => digestsEqual(expected, candidate))) {
      return secret;
    }
  }
  return undefined;
}
