import { HeaderAccess } from './headerAccess.js';
import { hmacDigest } from './hmacDigest.js';
import { matchSecret } from './matchSecret.js';
import { DEFAULT_MAX_SIGNATURES } from './parseStandardWebhooksSignatureHeader.js';
import { parseStripeSignatureHeader } from './parseStripeSignatureHeader.js';
import { type Rejection, reject } from './rejection.js';
import { activeSecrets, noMatchMessage } from './secretRing.js';
import { checkTolerance, DEFAULT_TOLERANCE_SECONDS } from './timestampTolerance.js';
import type { StripeSchemeConfig, Verified, VerifyRequest } from './types.js';

/**
 * Verifies a Stripe-style request: HMAC-SHA256 over `<t>.<raw body>` with the endpoint secret used as
 * UTF-8 bytes (Stripe does not base64-decode its `whsec_` secrets). Any `v1` may match; `v0` is ignored.
 * The Stripe event id lives in the body, so it is left to payload parsing.
 */
export async function verifyStripe(
  config: StripeSchemeConfig,
  request: VerifyRequest,
): Promise<Verified | Rejection> {
  const now = request.now ?? new Date();
  const headers = new HeaderAccess(request.headers, config.maxHeaderBytes);
  const header = headers.required('stripe-signature');
  if (!header.ok) return header;
  const parsed = parseStripeSignatureHeader(header.value, config.maxSignatures ?? DEFAULT_MAX_SIGNATURES);
  if (!parsed.ok) return parsed;
  const tooFar = checkTolerance(
    parsed.timestampSeconds * 1000,
    now,
    config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
  );
  if (tooFar !== undefined) return tooFar;
  if (parsed.v1.length === 0) return reject('bad_signature', 'Stripe-Signature carries no v1 signature');

  const secrets = activeSecrets(config.secrets, now);
  const prefix = `${parsed.timestampText}.`;
  const secret = matchSecret(secrets, parsed.v1, (s) => hmacDigest('sha256', s.value, prefix, request.body));
  if (secret === undefined)
    return reject('bad_signature', noMatchMessage(secrets.length, config.secrets.length));
  return {
    ok: true,
    scheme: 'stripe',
    timestamp: new Date(parsed.timestampSeconds * 1000),
    ...(secret.id !== undefined && { secretId: secret.id }),
  };
}
