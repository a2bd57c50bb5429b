export { classifyDuplicate, type DuplicateVerdict } from './dedupe/classifyDuplicate.js';
export { type DedupeRecord, dedupeKey } from './dedupe/dedupeKey.js';
export {
  BlockedUrlError,
  BodyTooLargeError,
  CallbackCoreError,
  type CallbackCoreErrorCode,
  InvalidBaseUrlError,
  InvalidDedupeInputError,
  InvalidDeliveryIdError,
  InvalidPayloadError,
  InvalidProfileError,
  type Issue,
  MissingSecretError,
  ProjectMismatchError,
  type UnsafeKeyReason,
  UnsafeObjectKeyError,
} from './errors.js';
export {
  type CallbackExpectations,
  extractFileList,
  parseCallbackPayload,
  parseVerifiedPayload,
} from './payload/extractFileList.js';
export { JsonDepthScanner, MAX_JSON_DEPTH } from './payload/jsonDepth.js';
export { parseManifest } from './payload/parseManifest.js';
export {
  DEFAULT_COMPANION_SUFFIXES,
  DEFAULT_HIDDEN_COMPANION_SUFFIXES,
  resolveKeyCollisions,
} from './payload/resolveKeyCollisions.js';
export {
  MAX_KEY_SEGMENT_BYTES,
  MAX_OBJECT_KEY_BYTES,
  RESERVED_OBJECT_KEYS,
  sanitizeObjectKey,
} from './payload/sanitizeObjectKey.js';
export type { FileChecksums, FileEntry, FileListRef, PayloadProfile } from './payload/types.js';
export { parseProviderProfile } from './profile/parseProviderProfile.js';
export {
  type ResolvedRequestAuth,
  requestHeadersFor,
  resolveRequestAuth,
} from './profile/requestHeaders.js';
export { resolveSecrets } from './profile/resolveSecrets.js';
export type { SecretRef } from './profile/secretRef.js';
export type {
  FilesSource,
  PayloadLimits,
  ProfileSignatureConfig,
  ProfileSignatureInput,
  ProfileSigningSecret,
  ProviderProfile,
  ProviderProfileInput,
  RequestAuthEntry,
  ResolvedProviderProfile,
} from './profile/types.js';
export {
  type CachingCertificateFetcherOptions,
  createCachingCertificateFetcher,
  DEFAULT_MAX_HEADER_BYTES,
  DEFAULT_MAX_SIGNATURES,
  DEFAULT_SNS_TOLERANCE_SECONDS,
  DEFAULT_TOLERANCE_SECONDS,
  ed25519PublicKeyToWhpk,
  type GenericHmacSchemeConfig,
  type GenericHmacSignedContent,
  type GenericHmacSignInput,
  type GitHubSchemeConfig,
  type GitHubSignInput,
  generateStandardWebhooksEd25519Key,
  generateStandardWebhooksSecret,
  genericHmacSchemeSchema,
  gitHubSchemeSchema,
  type HeaderLimits,
  type NoneSchemeConfig,
  noneSchemeSchema,
  parseStandardWebhooksSignatureHeader,
  parseStripeSignatureHeader,
  REJECTION_REASONS,
  type Rejection,
  type RejectionReason,
  type RequestHeaders,
  type ShopifySchemeConfig,
  type ShopifySignInput,
  type SignableBody,
  type SignatureScheme,
  type SignatureSchemeConfig,
  type SignatureSchemeConfigInput,
  type SigningSecret,
  type SlackSchemeConfig,
  type SlackSignInput,
  type SnsCertificateFetcher,
  type SnsMessageType,
  type SnsSchemeConfig,
  type SnsSignInput,
  type SnsUnsignedMessage,
  type StandardWebhooksSchemeConfig,
  type StandardWebhooksSignatures,
  type StandardWebhooksSignInput,
  type StandardWebhooksSigningKey,
  type StripeSchemeConfig,
  type StripeSignatures,
  type StripeSignInput,
  shopifySchemeSchema,
  signatureSchemeConfigSchema,
  signers,
  signGenericHmac,
  signGitHub,
  signShopify,
  signSlack,
  signSns,
  signStandardWebhooks,
  signStripe,
  slackSchemeSchema,
  snsSchemeSchema,
  standardWebhooksSchemeSchema,
  stripeSchemeSchema,
  type TimestampTolerance,
  type Verified,
  type VerifyOptions,
  type VerifyRequest,
  type VerifyResult,
  verifySignature,
} from './signatures/index.js';
export { callbackUrlFor } from './tokens/callbackUrlFor.js';
export { DELIVERY_ID_LENGTH, isWellFormedDeliveryId, mintDeliveryId } from './tokens/deliveryId.js';
export { checkResolvedAddress } from './urlPolicy/checkResolvedAddress.js';
export { checkUrl } from './urlPolicy/checkUrl.js';
export { type AddressClassification, classifyAddress } from './urlPolicy/classifyAddress.js';
export { createConnectGuard } from './urlPolicy/createConnectGuard.js';
export {
  formatIpAddress,
  type IpAddress,
  parseIpAddress,
  parseIpv4,
  parseIpv6,
} from './urlPolicy/ipAddress.js';
export {
  type HostResolver,
  type ResolvedAddress,
  resolveAndCheckUrl,
} from './urlPolicy/resolveAndCheckUrl.js';
export type {
  AddressRange,
  ConnectGuard,
  ConnectTarget,
  EmbeddingForm,
  LoopbackException,
  UrlCheckResult,
  UrlPolicy,
  UrlRejection,
  UrlRejectionReason,
} from './urlPolicy/types.js';
export type { ParsedUrlPolicy } from './urlPolicy/urlPolicySchema.js';
