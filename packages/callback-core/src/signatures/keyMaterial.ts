import { createPublicKey, type KeyObject } from 'node:crypto';
import { type PreparedHmacSha256Key, prepareHmacSha256Key } from './hmacSha256.js';
import type { SigningSecret } from './types.js';

/** Decoded key bytes of one Standard Webhooks secret. */
export type StandardWebhooksKey =
  | { readonly kind: 'hmac'; readonly key: PreparedHmacSha256Key }
  | { readonly kind: 'ed25519'; readonly key: KeyObject };

/**
 * Decoded keys, remembered per secret object so that a long-lived profile does not re-parse its keys on
 * every callback. Keyed weakly: dropping the config drops the keys.
 */
const decoded = new WeakMap<SigningSecret, StandardWebhooksKey | null>();

/** Decodes a `whsec_`/`whpk_` secret; `undefined` when it is neither (the schema normally stops that). */
export function standardWebhooksKey(secret: SigningSecret): StandardWebhooksKey | undefined {
  const cached = decoded.get(secret);
  if (cached !== undefined) return cached ?? undefined;
  const key = decodeStandardWebhooksKey(secret.value);
  decoded.set(secret, key ?? null);
  return key;
}

function decodeStandardWebhooksKey(value: string): StandardWebhooksKey | undefined {
  if (value.startsWith('whsec_')) {
    const key = Buffer.from(value.slice('whsec_'.length), 'base64');
    return key.length > 0 ? { kind: 'hmac', key: prepareHmacSha256Key(key) } : undefined;
  }
  if (value.startsWith('whpk_')) {
    const raw = Buffer.from(value.slice('whpk_'.length), 'base64');
    if (raw.length !== 32) return undefined;
    try {
      return {
        kind: 'ed25519',
        key: createPublicKey({
          key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
          format: 'jwk',
        }),
      };
    } catch {
      // Not a point on the curve: the secret can never verify anything.
      return undefined;
    }
  }
  return undefined;
}
