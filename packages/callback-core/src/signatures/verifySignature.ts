import { reject } from './rejection.js';
import type { SignatureSchemeConfig, VerifyOptions, VerifyRequest, VerifyResult } from './types.js';
import { verifyGenericHmac } from './verifyGenericHmac.js';
import { verifyGitHub } from './verifyGitHub.js';
import { verifyNone } from './verifyNone.js';
import { verifyShopify } from './verifyShopify.js';
import { verifySlack } from './verifySlack.js';
import { verifySns } from './verifySns.js';
import { verifyStandardWebhooks } from './verifyStandardWebhooks.js';
import { verifyStripe } from './verifyStripe.js';

/**
 * Verifies a callback's signature per its scheme config, over the raw body bytes. Never throws for bad
 * input: every refusal is a typed {@link VerifyResult} with a stable `reason`.
 *
 * @param config - a scheme config (validate untrusted config with `signatureSchemeConfigSchema` first)
 * @param request - headers (any case), raw body, and optionally the clock
 * @param options - collaborators: the SNS certificate fetcher
 */
export async function verifySignature(
  config: SignatureSchemeConfig,
  request: VerifyRequest,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  switch (config.scheme) {
    case 'standard-webhooks':
      return verifyStandardWebhooks(config, request);
    case 'stripe':
      return verifyStripe(config, request);
    case 'github':
      return verifyGitHub(config, request);
    case 'slack':
      return verifySlack(config, request);
    case 'shopify':
      return verifyShopify(config, request);
    case 'hmac':
      return verifyGenericHmac(config, request);
    case 'sns':
      return verifySns(config, request, options);
    case 'none':
      return verifyNone(config);
    default: {
      // Unreachable for typed callers; a config cast from JSON without the schema lands here.
      const unknown: { readonly scheme?: unknown } = config;
      return reject('unknown_provider', `unknown signature scheme ${String(unknown.scheme)}`);
    }
  }
}
