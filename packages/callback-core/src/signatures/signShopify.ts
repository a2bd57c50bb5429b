import { hmacDigest } from './hmacDigest.js';
import { bodyBytes, type SignableBody } from './signerInput.js';

/** Input of {@link signShopify}. */
export interface ShopifySignInput {
  readonly body: SignableBody;
  readonly secret: string;
  /** Sent as `X-Shopify-Webhook-Id` when given. */
  readonly webhookId?: string;
}

/** Signs like Shopify: `X-Shopify-Hmac-Sha256: <base64>` of the body. */
export function signShopify(input: ShopifySignInput): Record<string, string> {
  const digest = hmacDigest('sha256', input.secret, '', bodyBytes(input.body)).toString('base64');
  return {
    'x-shopify-hmac-sha256': digest,
    ...(input.webhookId !== undefined && { 'x-shopify-webhook-id': input.webhookId }),
  };
}
