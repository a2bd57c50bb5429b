export {
  type CachingCertificateFetcherOptions,
  createCachingCertificateFetcher,
} from './createCachingCertificateFetcher.js';
export { DEFAULT_MAX_HEADER_BYTES } from './headerAccess.js';
export {
  DEFAULT_MAX_SIGNATURES,
  parseStandardWebhooksSignatureHeader,
  type StandardWebhooksSignatures,
} from './parseStandardWebhooksSignatureHeader.js';
export { parseStripeSignatureHeader, type StripeSignatures } from './parseStripeSignatureHeader.js';
export { REJECTION_REASONS, type Rejection, type RejectionReason } from './rejection.js';
export {
  genericHmacSchemeSchema,
  gitHubSchemeSchema,
  noneSchemeSchema,
  type SignatureSchemeConfigInput,
  shopifySchemeSchema,
  signatureSchemeConfigSchema,
  slackSchemeSchema,
  snsSchemeSchema,
  standardWebhooksSchemeSchema,
  stripeSchemeSchema,
} from './schemas.js';
export type { SignableBody } from './signerInput.js';
export { signers } from './signers.js';
export { type GenericHmacSignInput, signGenericHmac } from './signGenericHmac.js';
export { type GitHubSignInput, signGitHub } from './signGitHub.js';
export { type ShopifySignInput, signShopify } from './signShopify.js';
export { type SlackSignInput, signSlack } from './signSlack.js';
export { type SnsSignInput, type SnsUnsignedMessage, signSns } from './signSns.js';
export {
  ed25519PublicKeyToWhpk,
  generateStandardWebhooksEd25519Key,
  generateStandardWebhooksSecret,
  type StandardWebhooksSignInput,
  type StandardWebhooksSigningKey,
  signStandardWebhooks,
} from './signStandardWebhooks.js';
export { type StripeSignInput, signStripe } from './signStripe.js';
export { DEFAULT_TOLERANCE_SECONDS } from './timestampTolerance.js';
export type {
  GenericHmacSchemeConfig,
  GenericHmacSignedContent,
  GitHubSchemeConfig,
  HeaderLimits,
  NoneSchemeConfig,
  RequestHeaders,
  ShopifySchemeConfig,
  SignatureScheme,
  SignatureSchemeConfig,
  SigningSecret,
  SlackSchemeConfig,
  SnsCertificateFetcher,
  SnsMessageType,
  SnsSchemeConfig,
  StandardWebhooksSchemeConfig,
  StripeSchemeConfig,
  TimestampTolerance,
  Verified,
  VerifyOptions,
  VerifyRequest,
  VerifyResult,
} from './types.js';
export { verifySignature } from './verifySignature.js';
export { DEFAULT_SNS_TOLERANCE_SECONDS } from './verifySns.js';
