/** valibot schema of a provider profile (before `{ env }` secret references are put back). */
import * as v from 'valibot';
import { signatureSchemeConfigSchema } from '../signatures/schemas.js';
import { checkUrl } from '../urlPolicy/checkUrl.js';
import { urlPolicySchema } from '../urlPolicy/urlPolicySchema.js';
import { filesSourceSchema, payloadLimitsSchema } from './filesSourceSchema.js';
import { requestAuthSchema } from './requestAuthSchema.js';

const MAX_TOLERANCE_SECONDS = 7 * 24 * 3600;

/** Schema of a provider profile; `timestampToleranceSeconds` is left optional (its default depends on the scheme). */
export const providerProfileSchema = v.pipe(
  v.strictObject({
    id: v.pipe(
      v.string(),
      v.regex(
        /^[a-z0-9][a-z0-9_-]{0,63}$/,
        'expected 1-64 lower-case letters, digits, "-" or "_" (e.g. "acme-exports")',
      ),
    ),
    signature: signatureSchemeConfigSchema,
    capabilityUrl: v.optional(v.boolean(), false),
    timestampToleranceSeconds: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_TOLERANCE_SECONDS)),
    ),
    maxBodyBytes: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(64 * 1024 * 1024)),
      1024 * 1024,
    ),
    files: filesSourceSchema,
    limits: v.optional(payloadLimitsSchema, {}),
    urlPolicy: v.optional(urlPolicySchema, {}),
    requestAuth: requestAuthSchema,
  }),
  v.forward(
    v.partialCheck(
      [['signature', 'scheme'], ['capabilityUrl']],
      (profile) => profile.signature.scheme !== 'none' || profile.capabilityUrl,
      'signature scheme "none" is only allowed with capabilityUrl: true (a callback URL carrying >= 128 random bits)',
    ),
    ['capabilityUrl'],
  ),
  v.forward(
    v.partialCheck(
      [['signature'], ['timestampToleranceSeconds']],
      (profile) =>
        profile.timestampToleranceSeconds === undefined ||
        !('toleranceSeconds' in profile.signature) ||
        profile.signature.toleranceSeconds === undefined ||
        profile.signature.toleranceSeconds === profile.timestampToleranceSeconds,
      'timestampToleranceSeconds and signature.toleranceSeconds disagree; set only one of them',
    ),
    ['timestampToleranceSeconds'],
  ),
  v.forward(
    v.partialCheck(
      [['files'], ['urlPolicy']],
      (profile) =>
        profile.files.source !== 'list-api' || checkUrl(profile.files.listUrl, profile.urlPolicy).ok,
      "the list API URL must itself pass this profile's urlPolicy (scheme, host, port, public address)",
    ),
    ['files', 'listUrl'],
  ),
);
