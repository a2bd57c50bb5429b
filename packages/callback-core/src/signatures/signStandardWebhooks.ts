import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { hmacDigest } from './hmacDigest.js';
import { bodyBytes, type SignableBody, unixSeconds } from './signerInput.js';

/** A Standard Webhooks signing key: a `whsec_` secret (v1) or an Ed25519 private key (v1a). */
export type StandardWebhooksSigningKey = string | { readonly ed25519PrivateKey: KeyObject };

/** Input of {@link signStandardWebhooks}. */
export interface StandardWebhooksSignInput {
  readonly id: string;
  readonly timestamp: Date | number;
  readonly body: SignableBody;
  /** One signature per key, space-separated in the header, in this order. */
  readonly keys: readonly StandardWebhooksSigningKey[];
  /** @default 'webhook' */
  readonly headerPrefix?: 'webhook' | 'svix';
}

/**
 * Signs a request the Standard Webhooks way and returns the three headers to send. Used by the demo's
 * mock provider and by tests; it signs the exact body bytes.
 */
export function signStandardWebhooks(input: StandardWebhooksSignInput): Record<string, string> {
  const prefix = input.headerPrefix ?? 'webhook';
  const seconds = String(unixSeconds(input.timestamp));
  const signedPrefix = `${input.id}.${seconds}.`;
  const body = bodyBytes(input.body);
  const signatures = input.keys.map((key) => {
    if (typeof key === 'string') {
      const secret = Buffer.from(key.startsWith('whsec_') ? key.slice('whsec_'.length) : key, 'base64');
      return `v1,${hmacDigest('sha256', secret, signedPrefix, body).toString('base64')}`;
    }
    const content = Buffer.concat([Buffer.from(signedPrefix), body]);
    return `v1a,${sign(null, content, key.ed25519PrivateKey).toString('base64')}`;
  });
  return {
    [`${prefix}-id`]: input.id,
    [`${prefix}-timestamp`]: seconds,
    [`${prefix}-signature`]: signatures.join(' '),
  };
}

/** A fresh random `whsec_` secret (32 bytes). */
export function generateStandardWebhooksSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** A fresh Ed25519 key pair: the private key for signing and the `whpk_` public key for the config. */
export function generateStandardWebhooksEd25519Key(): { privateKey: KeyObject; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: ed25519PublicKeyToWhpk(publicKey) };
}

/** The `whpk_<base64 raw 32 bytes>` form of an Ed25519 public key. */
export function ed25519PublicKeyToWhpk(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.x === undefined) throw new TypeError('expected an Ed25519 public key');
  return `whpk_${Buffer.from(jwk.x, 'base64url').toString('base64')}`;
}
