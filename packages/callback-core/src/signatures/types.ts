import type { Rejection } from './rejection.js';

/**
 * One signing secret (or, for Standard Webhooks v1a, one Ed25519 public key). Several may be active at
 * once so that a provider can rotate keys without a gap: a callback verifies when ANY secret that is
 * valid at the request time matches.
 */
export interface SigningSecret {
  /** Name reported back as `secretId` when this secret matched (e.g. `"2026-11"`). Never the value. */
  readonly id?: string;
  /**
   * The secret. Its format depends on the scheme: `whsec_<base64>` (HMAC) or `whpk_<base64>` (Ed25519
   * public key) for Standard Webhooks; the literal string, used as UTF-8 bytes, for Stripe, GitHub,
   * Slack and Shopify; for generic HMAC see {@link GenericHmacSchemeConfig.secretEncoding}.
   */
  readonly value: string;
  /** The secret is not accepted before this instant. */
  readonly notBefore?: Date;
  /** The secret is not accepted after this instant (rotated out). */
  readonly notAfter?: Date;
}

/** Limits shared by every scheme that reads signature headers. */
export interface HeaderLimits {
  /**
   * Longest accepted value of any header the scheme reads, in bytes (UTF-16 code units).
   * @default 4096
   */
  readonly maxHeaderBytes?: number;
  /**
   * Most signatures accepted in one signature header (schemes that allow several).
   * @default 10
   */
  readonly maxSignatures?: number;
}

/** Timestamp tolerance for schemes that sign a timestamp. */
export interface TimestampTolerance {
  /**
   * How far the signed timestamp may lie from the verifier's clock, in seconds, in BOTH directions:
   * older is `stale`, newer is `future`.
   * @default 300 (3600 for SNS, whose retries keep the original timestamp)
   */
  readonly toleranceSeconds?: number;
}

/**
 * Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). Signatures `v1,<base64>` are
 * HMAC-SHA256 over `id.timestamp.body` with a `whsec_` secret; `v1a,<base64>` are Ed25519 with a `whpk_`
 * public key. Svix's `svix-*` header names are accepted as an alias.
 */
export interface StandardWebhooksSchemeConfig extends HeaderLimits, TimestampTolerance {
  readonly scheme: 'standard-webhooks';
  readonly secrets: readonly SigningSecret[];
  /**
   * Restricts the header family. When omitted both `webhook-*` and `svix-*` are accepted (never a mix
   * of both in one request).
   */
  readonly headerPrefix?: 'webhook' | 'svix';
}

/** Stripe (`Stripe-Signature: t=<ts>,v1=<hex>[,v1=<hex>…]`; HMAC-SHA256 over `t.body`; `v0` ignored). */
export interface StripeSchemeConfig extends HeaderLimits, TimestampTolerance {
  readonly scheme: 'stripe';
  /** Endpoint secrets (`whsec_…`), used as UTF-8 bytes exactly as Stripe shows them (not base64-decoded). */
  readonly secrets: readonly SigningSecret[];
}

/** GitHub (`X-Hub-Signature-256: sha256=<hex>` over the body; event id from `X-GitHub-Delivery`). */
export interface GitHubSchemeConfig extends HeaderLimits {
  readonly scheme: 'github';
  readonly secrets: readonly SigningSecret[];
}

/** Slack (`X-Slack-Signature: v0=<hex>` over `v0:<ts>:<body>`; `X-Slack-Request-Timestamp`). */
export interface SlackSchemeConfig extends HeaderLimits, TimestampTolerance {
  readonly scheme: 'slack';
  readonly secrets: readonly SigningSecret[];
}

/** Shopify (`X-Shopify-Hmac-Sha256: <base64>` over the body; event id from `X-Shopify-Webhook-Id`). */
export interface ShopifySchemeConfig extends HeaderLimits {
  readonly scheme: 'shopify';
  readonly secrets: readonly SigningSecret[];
}

/** What a generic HMAC signature covers. */
export type GenericHmacSignedContent =
  /** The raw body only (no replay protection: pair with dedupe). */
  | { readonly kind: 'body' }
  /** `<timestamp><separator><body>`, the timestamp read from `timestampHeader` (Unix seconds). */
  | { readonly kind: 'timestamp-body'; readonly timestampHeader: string; readonly separator: string };

/** A provider-specific HMAC scheme described by configuration. */
export interface GenericHmacSchemeConfig extends HeaderLimits, TimestampTolerance {
  readonly scheme: 'hmac';
  readonly secrets: readonly SigningSecret[];
  /** Header carrying the signature, any case (e.g. `X-Signature`). */
  readonly header: string;
  readonly algorithm: 'sha256' | 'sha512';
  /** How the digest is written in the header. */
  readonly encoding: 'hex' | 'base64';
  /** Literal text before the digest (e.g. `sha256=`). @default '' */
  readonly prefix?: string;
  readonly signedContent: GenericHmacSignedContent;
  /** How a secret's `value` turns into key bytes. @default 'utf8' */
  readonly secretEncoding?: 'utf8' | 'base64' | 'hex';
  /** Header whose value is reported as the event id, if the provider sends one. */
  readonly eventIdHeader?: string;
}

/**
 * AWS SNS HTTP(S) notifications (SignatureVersion 1 = SHA1withRSA, 2 = SHA256withRSA). The signed
 * envelope is the JSON body; the `x-amz-sns-message-type` header is required and must agree with it
 * (as must `x-amz-sns-message-id` / `x-amz-sns-topic-arn` when sent).
 */
export interface SnsSchemeConfig extends HeaderLimits, TimestampTolerance {
  readonly scheme: 'sns';
  /**
   * Topic ARNs this endpoint accepts. Strongly recommended: without it any SNS topic in any account
   * could deliver here. A message from another topic is rejected as `unknown_provider`.
   */
  readonly topicArns?: readonly string[];
  /** Accept only these signature versions. @default ['1', '2'] */
  readonly signatureVersions?: readonly ('1' | '2')[];
}

/**
 * No signature at all, for providers that cannot sign. Only allowed when the callback URL itself is a
 * capability (>= 128 random bits); the profile validation enforces that part.
 */
export interface NoneSchemeConfig {
  readonly scheme: 'none';
  /** Must be `true`: states that the callback URL carries the capability token. */
  readonly requireCapabilityUrl: true;
}

/** Every supported signature scheme configuration, discriminated on `scheme`. */
export type SignatureSchemeConfig =
  | StandardWebhooksSchemeConfig
  | StripeSchemeConfig
  | GitHubSchemeConfig
  | SlackSchemeConfig
  | ShopifySchemeConfig
  | GenericHmacSchemeConfig
  | SnsSchemeConfig
  | NoneSchemeConfig;

/** The scheme names. */
export type SignatureScheme = SignatureSchemeConfig['scheme'];

/** Request headers as Node (`IncomingMessage.headers`) or a plain object give them; names in any case. */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What a verifier needs from an HTTP request. */
export interface VerifyRequest {
  readonly headers: RequestHeaders;
  /** The raw body bytes exactly as received (a Buffer is a Uint8Array). Never a decoded string. */
  readonly body: Uint8Array;
  /** The verifier's clock. @default new Date() */
  readonly now?: Date;
}

/** SNS message types. */
export type SnsMessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/** A verified callback. */
export interface Verified {
  readonly ok: true;
  readonly scheme: SignatureScheme;
  /** Provider's event / delivery id, when the scheme carries one in a signed or trusted place. */
  readonly eventId?: string;
  /** The signed timestamp, when the scheme has one. */
  readonly timestamp?: Date;
  /** `id` of the secret that matched, when it has one. */
  readonly secretId?: string;
  /** SNS only: the message type. */
  readonly snsMessageType?: SnsMessageType;
  /**
   * SNS only, for `SubscriptionConfirmation`: the URL that confirms the subscription. It is NOT visited:
   * the caller decides (and must still pass it through the URL policy).
   */
  readonly snsSubscribeUrl?: string;
  /** SNS only: the topic the message came from. */
  readonly snsTopicArn?: string;
  /**
   * SNS only: the verified `Message` text (the provider's own payload, inside the SNS envelope), so the
   * caller does not parse the envelope a second time.
   */
  readonly snsMessage?: string;
}

/** The outcome of {@link verifySignature}: verified, or a typed rejection. */
export type VerifyResult = Verified | Rejection;

/**
 * Fetches the PEM text of an SNS signing certificate. Injected so that the package itself does no
 * network I/O; wrap it with `createCachingCertificateFetcher` to avoid one fetch per message.
 */
export type SnsCertificateFetcher = (url: URL) => Promise<string>;

/** Collaborators a verifier may need beyond the config and the request. */
export interface VerifyOptions {
  /** Required for the `sns` scheme. */
  readonly snsCertificateFetcher?: SnsCertificateFetcher;
}
