import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signShopify } from '../../src/signatures/signShopify.js';
import type { ShopifySchemeConfig } from '../../src/signatures/types.js';
import { verifySignature } from '../../src/signatures/verifySignature.js';
import { describeSchemeNegatives } from '../helpers/schemeNegativeCases.js';
import { NOW } from '../helpers/signatureRequests.js';

const BODY = '{"id":820982911946154508,"email":"jon@example.com"}';

function configOf(secrets: ShopifySchemeConfig['secrets']): ShopifySchemeConfig {
  return { scheme: 'shopify', secrets };
}

describe('Shopify', () => {
  it('accepts a base64 HMAC-SHA256 of the body computed independently, with the webhook id', async () => {
    const digest = createHmac('sha256', 'shopify-secret').update(BODY).digest('base64');
    const result = await verifySignature(configOf([{ value: 'shopify-secret' }]), {
      headers: {
        'X-Shopify-Hmac-Sha256': digest,
        'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      },
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(result).toEqual({ ok: true, scheme: 'shopify', eventId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' });
  });

  it('rejects a hex digest where base64 is expected as malformed_header', async () => {
    const digest = createHmac('sha256', 'shopify-secret').update(BODY).digest('hex');
    const result = await verifySignature(configOf([{ value: 'shopify-secret' }]), {
      headers: { 'x-shopify-hmac-sha256': `${digest}!` },
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false, reason: 'malformed_header' });
  });
});

describeSchemeNegatives({
  label: 'shopify',
  config: (secrets) => configOf(secrets),
  secret: 'shopify-secret-one',
  otherSecret: 'shopify-secret-two',
  sign: ({ body, secret }) => signShopify({ body, secret, webhookId: 'w-1' }),
  signatureHeader: 'x-shopify-hmac-sha256',
  timestamped: false,
});
