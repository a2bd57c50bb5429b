import { readEventIdHeader } from './eventIdHeader.js';
import { HeaderAccess } from './headerAccess.js';
import { hmacDigest } from './hmacDigest.js';
import { matchSecret } from './matchSecret.js';
import { parsePrefixedDigest } from './parsePrefixedDigest.js';
import { type Rejection, reject } from './rejection.js';
import { activeSecrets, noMatchMessage } from './secretRing.js';
import type { ShopifySchemeConfig, Verified, VerifyRequest } from './types.js';

/**
 * Verifies a Shopify webhook: `X-Shopify-Hmac-Sha256: <base64>` HMAC-SHA256 of the raw body with the app
 * secret as UTF-8. No signed timestamp: replays are caught by dedupe on `X-Shopify-Webhook-Id`.
 */
export async function verifyShopify(
  config: ShopifySchemeConfig,
  request: VerifyRequest,
): Promise<Verified | Rejection> {
  const now = request.now ?? new Date();
  const headers = new HeaderAccess(request.headers, config.maxHeaderBytes);
  const header = headers.required('x-shopify-hmac-sha256');
  if (!header.ok) return header;
  const webhookId = readEventIdHeader(headers, 'x-shopify-webhook-id');
  if (!webhookId.ok) return webhookId;
  const parsed = parsePrefixedDigest(header.value, '', 'base64', 'X-Shopify-Hmac-Sha256');
  if (!parsed.ok) return parsed;

  const secrets = activeSecrets(config.secrets, now);
  const secret = matchSecret(secrets, [parsed.digest], (s) =>
    hmacDigest('sha256', s.value, '', request.body),
  );
  if (secret === undefined)
    return reject('bad_signature', noMatchMessage(secrets.length, config.secrets.length));
  return {
    ok: true,
    scheme: 'shopify',
    ...(webhookId.value !== undefined && { eventId: webhookId.value }),
    ...(secret.id !== undefined && { secretId: secret.id }),
  };
}
