import { signGenericHmac } from './signGenericHmac.js';
import { signGitHub } from './signGitHub.js';
import { signShopify } from './signShopify.js';
import { signSlack } from './signSlack.js';
import { signSns } from './signSns.js';
import { signStandardWebhooks } from './signStandardWebhooks.js';
import { signStripe } from './signStripe.js';

/**
 * Our own signers, one per scheme, producing exactly what the verifiers accept. For tests, tools and the
 * demo's mock provider, never for verification.
 */
export const signers = {
  standardWebhooks: signStandardWebhooks,
  stripe: signStripe,
  github: signGitHub,
  slack: signSlack,
  shopify: signShopify,
  hmac: signGenericHmac,
  sns: signSns,
} as const;
