/** Types of a provider profile. */
import type * as v from 'valibot';
import type { SignatureSchemeConfigInput } from '../signatures/schemas.js';
import type { SignatureSchemeConfig, SigningSecret } from '../signatures/types.js';
import type { ParsedUrlPolicy } from '../urlPolicy/urlPolicySchema.js';
import type { filesSourceSchema, payloadLimitsSchema } from './filesSourceSchema.js';
import type { providerProfileSchema } from './providerProfileSchema.js';
import type { requestAuthEntrySchema } from './requestAuthSchema.js';
import type { ResolvedRequestAuth } from './requestHeaders.js';
import type { SecretRef } from './secretRef.js';

/** A signing secret whose value may still be an `{ env }` reference. */
export type ProfileSigningSecret = Omit<SigningSecret, 'value'> & { readonly value: string | SecretRef };

type WithSecretRefs<C> = C extends { readonly secrets: readonly SigningSecret[] }
  ? Omit<C, 'secrets'> & { readonly secrets: readonly ProfileSigningSecret[] }
  : C;

/** A signature scheme config whose secret values may be `{ env }` references. */
export type ProfileSignatureConfig = WithSecretRefs<SignatureSchemeConfig>;

/**
 * Where the file list comes from:
 * - `inline`: in the callback body (at `path`, default: the body itself if it is an array, else `files`);
 * - `manifest`: the callback body has a manifest URL at `urlField`; the manifest holds the list at `path`;
 * - `list-api`: the body has a project id at `projectIdField`; the list is at
 *   `GET <listUrl>?projectID=<id>` (the original design), at `path` in that answer.
 */
export type FilesSource = v.InferOutput<typeof filesSourceSchema>;

/**
 * One `requestAuth` entry: a credential bound to host patterns, sent on list-API, manifest and
 * file requests to a matching host (`bearer` token, API-key `header`, `basic`); values may be
 * `{ env }` references until {@link ResolvedProviderProfile} resolves them.
 */
export type RequestAuthEntry = v.InferOutput<typeof requestAuthEntrySchema>;

/** Caps applied to file lists (defaults filled in). */
export type PayloadLimits = v.InferOutput<typeof payloadLimitsSchema>;

/** A validated provider profile; secrets may still be `{ env }` references (see `resolveSecrets`). */
export interface ProviderProfile {
  /** Stable provider id, used in dedupe keys and logs. */
  readonly id: string;
  readonly signature: ProfileSignatureConfig;
  /**
   * The callback URL is a capability URL (>= 128 random bits). Required for scheme `none`.
   * @default false
   */
  readonly capabilityUrl: boolean;
  /**
   * Accepted clock difference for signed timestamps, both ways. Applied to the scheme when its
   * own `toleranceSeconds` is unset. @default 300 (3600 for `sns`)
   */
  readonly timestampToleranceSeconds: number;
  /** Largest accepted callback body in bytes. @default 1 MiB */
  readonly maxBodyBytes: number;
  readonly files: FilesSource;
  readonly limits: PayloadLimits;
  /** Which URLs this provider's files (and manifest / list API) may be fetched from. */
  readonly urlPolicy: ParsedUrlPolicy;
  /**
   * Credentials per host for list-API, manifest and file requests; never sent to another host.
   * @default []
   */
  readonly requestAuth: readonly RequestAuthEntry[];
}

/** A provider profile whose secrets are all resolved: ready for `verifySignature(profile.signature, …)`. */
export interface ResolvedProviderProfile extends Omit<ProviderProfile, 'signature' | 'requestAuth'> {
  readonly signature: SignatureSchemeConfig;
  /** Header sets per host pattern, credentials read (see `requestHeadersFor`). */
  readonly requestAuth: readonly ResolvedRequestAuth[];
}

type WithSecretRefInputs<C> = C extends { readonly secrets: readonly (infer S)[] }
  ? Omit<C, 'secrets'> & {
      readonly secrets: readonly (Omit<S, 'value'> & { readonly value: string | SecretRef })[];
    }
  : C;

/** A signature scheme as written in a profile: each secret value literal or an `{ env }` reference. */
export type ProfileSignatureInput = WithSecretRefInputs<SignatureSchemeConfigInput>;

/**
 * A provider profile as written in a config file or passed to the CDK construct: what
 * `parseProviderProfile` accepts, secrets as literals or `{ env }` references. Typed from the
 * schema itself, so a misspelt scheme, field or option fails to compile.
 */
export type ProviderProfileInput = Omit<v.InferInput<typeof providerProfileSchema>, 'signature'> & {
  readonly signature: ProfileSignatureInput;
};
