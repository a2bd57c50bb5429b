import * as v from 'valibot';
import type { SignatureSchemeConfig } from './types.js';

/** Caps that keep a hostile or mistaken config from making verification expensive. */
const MAX_SECRETS = 16;
const MAX_SECRET_LENGTH = 4096;
const MAX_TOLERANCE_SECONDS = 7 * 24 * 3600;

/** A Date, or an ISO 8601 timestamp string (as a JSON / YAML config carries it), as a Date. */
const instantSchema = v.union([
  v.date(),
  v.pipe(
    v.string(),
    v.isoTimestamp('expected an ISO 8601 timestamp such as 2026-11-27T00:00:00Z'),
    v.transform((text) => new Date(text)),
  ),
]);

function secretSchema(valueSchema: v.GenericSchema<string, string>) {
  return v.pipe(
    v.strictObject({
      id: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
      value: valueSchema,
      notBefore: v.optional(instantSchema),
      notAfter: v.optional(instantSchema),
    }),
    v.check(
      (secret) =>
        secret.notBefore === undefined ||
        secret.notAfter === undefined ||
        secret.notBefore.getTime() < secret.notAfter.getTime(),
      'notBefore must be earlier than notAfter',
    ),
  );
}

function secretsSchema(valueSchema: v.GenericSchema<string, string>) {
  return v.pipe(
    v.array(secretSchema(valueSchema)),
    v.minLength(1, 'at least one secret is required'),
    v.maxLength(MAX_SECRETS, `at most ${MAX_SECRETS} secrets`),
  );
}

const plainSecretValue = v.pipe(
  v.string(),
  v.minLength(1, 'a secret must not be empty'),
  v.maxLength(MAX_SECRET_LENGTH),
);

/** `whsec_` + base64 HMAC key, or `whpk_` + base64 raw 32-byte Ed25519 public key. */
const standardWebhooksSecretValue = v.pipe(
  v.string(),
  v.maxLength(MAX_SECRET_LENGTH),
  v.regex(
    /^(whsec_|whpk_)(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/,
    'expected whsec_<base64> (HMAC secret) or whpk_<base64> (Ed25519 public key)',
  ),
);

const limits = {
  maxHeaderBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(64), v.maxValue(65_536))),
  maxSignatures: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100))),
};

const tolerance = {
  toleranceSeconds: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_TOLERANCE_SECONDS)),
  ),
};

/** An HTTP header name (RFC 9110 token). */
const headerName = v.pipe(
  v.string(),
  v.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/, 'expected an HTTP header name'),
);

/** Schema of {@link StandardWebhooksSchemeConfig}. */
export const standardWebhooksSchemeSchema = v.strictObject({
  scheme: v.literal('standard-webhooks'),
  secrets: v.pipe(
    secretsSchema(standardWebhooksSecretValue),
    v.check(
      (secrets) =>
        secrets.every((secret) => {
          const key = Buffer.from(secret.value.slice(secret.value.indexOf('_') + 1), 'base64');
          return secret.value.startsWith('whpk_') ? key.length === 32 : key.length >= 16;
        }),
      'a whsec_ secret must decode to at least 16 bytes and a whpk_ key to exactly 32 bytes',
    ),
  ),
  headerPrefix: v.optional(v.picklist(['webhook', 'svix'])),
  ...limits,
  ...tolerance,
});

/** Schema of {@link StripeSchemeConfig}. */
export const stripeSchemeSchema = v.strictObject({
  scheme: v.literal('stripe'),
  secrets: secretsSchema(plainSecretValue),
  ...limits,
  ...tolerance,
});

/** Schema of {@link GitHubSchemeConfig}. */
export const gitHubSchemeSchema = v.strictObject({
  scheme: v.literal('github'),
  secrets: secretsSchema(plainSecretValue),
  ...limits,
});

/** Schema of {@link SlackSchemeConfig}. */
export const slackSchemeSchema = v.strictObject({
  scheme: v.literal('slack'),
  secrets: secretsSchema(plainSecretValue),
  ...limits,
  ...tolerance,
});

/** Schema of {@link ShopifySchemeConfig}. */
export const shopifySchemeSchema = v.strictObject({
  scheme: v.literal('shopify'),
  secrets: secretsSchema(plainSecretValue),
  ...limits,
});

/** Schema of {@link GenericHmacSchemeConfig}. */
export const genericHmacSchemeSchema = v.pipe(
  v.strictObject({
    scheme: v.literal('hmac'),
    secrets: secretsSchema(plainSecretValue),
    header: headerName,
    algorithm: v.picklist(['sha256', 'sha512']),
    encoding: v.picklist(['hex', 'base64']),
    prefix: v.optional(
      v.pipe(v.string(), v.maxLength(64), v.regex(/^[\x21-\x7e]*$/, 'prefix must be visible ASCII')),
    ),
    signedContent: v.variant('kind', [
      v.strictObject({ kind: v.literal('body') }),
      v.strictObject({
        kind: v.literal('timestamp-body'),
        timestampHeader: headerName,
        separator: v.pipe(v.string(), v.maxLength(16)),
      }),
    ]),
    secretEncoding: v.optional(v.picklist(['utf8', 'base64', 'hex'])),
    eventIdHeader: v.optional(headerName),
    ...limits,
    ...tolerance,
  }),
  v.check(
    (config) =>
      config.secretEncoding !== 'hex' || config.secrets.every((s) => /^(?:[0-9a-fA-F]{2})+$/.test(s.value)),
    'secretEncoding hex: every secret must be an even-length hex string',
  ),
  v.check(
    (config) =>
      config.secretEncoding !== 'base64' ||
      config.secrets.every((s) => /^[A-Za-z0-9+/]+={0,2}$/.test(s.value)),
    'secretEncoding base64: every secret must be base64',
  ),
);

/** An SNS topic ARN (`arn:aws[-partition]:sns:<region>:<account>:<name>`). */
const topicArn = v.pipe(
  v.string(),
  v.regex(
    /^arn:aws(?:-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/,
    'expected an SNS topic ARN',
  ),
);

/** Schema of {@link SnsSchemeConfig}. */
export const snsSchemeSchema = v.strictObject({
  scheme: v.literal('sns'),
  topicArns: v.optional(v.pipe(v.array(topicArn), v.minLength(1), v.maxLength(100))),
  signatureVersions: v.optional(v.pipe(v.array(v.picklist(['1', '2'])), v.minLength(1))),
  ...limits,
  ...tolerance,
});

/** Schema of {@link NoneSchemeConfig}: only valid with `requireCapabilityUrl: true`. */
export const noneSchemeSchema = v.strictObject({
  scheme: v.literal('none'),
  requireCapabilityUrl: v.literal(true, 'scheme "none" requires requireCapabilityUrl: true'),
});

/**
 * Schema of {@link SignatureSchemeConfig}: one of the scheme schemas, chosen by `scheme`. Unknown keys are
 * rejected so that a misspelt option does not silently fall back to a default.
 */
export const signatureSchemeConfigSchema = v.variant('scheme', [
  standardWebhooksSchemeSchema,
  stripeSchemeSchema,
  gitHubSchemeSchema,
  slackSchemeSchema,
  shopifySchemeSchema,
  genericHmacSchemeSchema,
  snsSchemeSchema,
  noneSchemeSchema,
]);

/** Raw (JSON-shaped) input accepted by {@link signatureSchemeConfigSchema}. */
export type SignatureSchemeConfigInput = v.InferInput<typeof signatureSchemeConfigSchema>;

// Compile-time proof that what the schema produces is what the verifiers accept.
type SchemaOutput = v.InferOutput<typeof signatureSchemeConfigSchema>;
const schemaOutputIsConfig = (output: SchemaOutput): SignatureSchemeConfig => output;
void schemaOutputIsConfig;
