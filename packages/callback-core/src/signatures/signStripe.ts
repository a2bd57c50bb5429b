import { hmacDigest } from './hmacDigest.js';
import { bodyBytes, type SignableBody, unixSeconds } from './signerInput.js';

/** Input of {@link signStripe}. */
export interface StripeSignInput {
  readonly body: SignableBody;
  readonly timestamp: Date | number;
  /** Endpoint secrets; one `v1=` per secret (used as UTF-8, as Stripe does). */
  readonly secrets: readonly string[];
}

/** Signs like Stripe: `Stripe-Signature: t=<ts>,v1=<hex>…`. */
export function signStripe(input: StripeSignInput): Record<string, string> {
  const t = String(unixSeconds(input.timestamp));
  const body = bodyBytes(input.body);
  const v1 = input.secrets.map(
    (secret) => `v1=${hmacDigest('sha256', secret, `${t}.`, body).toString('hex')}`,
  );
  return { 'stripe-signature': [`t=${t}`, ...v1].join(',') };
}
