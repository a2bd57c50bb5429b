import { verify as verifyEd25519 } from 'node:crypto';
import { HeaderAccess } from './headerAccess.js';
import { hmacSha256 } from './hmacSha256.js';
import { standardWebhooksKey } from './keyMaterial.js';
import {
  DEFAULT_MAX_SIGNATURES,
  parseStandardWebhooksSignatureHeader,
} from './parseStandardWebhooksSignatureHeader.js';
import { type Rejection, reject } from './rejection.js';
import { activeSecrets, noMatchMessage } from './secretRing.js';
import { checkTolerance, DEFAULT_TOLERANCE_SECONDS, parseUnixSeconds } from './timestampTolerance.js';
import { digestsEqual } from './timingSafeCompare.js';
import type { StandardWebhooksSchemeConfig, Verified, VerifyRequest } from './types.js';

/** Message ids are opaque, but never contain whitespace, commas or control characters. */
const MESSAGE_ID = /^[\x21-\x2b\x2d-\x7e]{1,256}$/;

/** The three header names of each family, spelled once rather than built per request. */
const HEADER_NAMES = {
  webhook: { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' },
  svix: { id: 'svix-id', timestamp: 'svix-timestamp', signature: 'svix-signature' },
} as const;

/** Picks the header family: `webhook-*` when any of those is present, else the `svix-*` alias. */
function headerFamily(headers: HeaderAccess, config: StandardWebhooksSchemeConfig): 'webhook' | 'svix' {
  if (config.headerPrefix !== undefined) return config.headerPrefix;
  const names = HEADER_NAMES.webhook;
  const standard = headers.has(names.id) || headers.has(names.timestamp) || headers.has(names.signature);
  return standard || !headers.has(HEADER_NAMES.svix.signature) ? 'webhook' : 'svix';
}

/**
 * Verifies a Standard Webhooks request: `v1` (HMAC-SHA256, `whsec_` secrets) and `v1a` (Ed25519, `whpk_`
 * public keys) over `<id>.<timestamp>.<raw body>`.
 */
export async function verifyStandardWebhooks(
  config: StandardWebhooksSchemeConfig,
  request: VerifyRequest,
): Promise<Verified | Rejection> {
  const now = request.now ?? new Date();
  const headers = new HeaderAccess(request.headers, config.maxHeaderBytes);
  const prefix = headerFamily(headers, config);

  const names = HEADER_NAMES[prefix];
  const id = headers.required(names.id);
  if (!id.ok) return id;
  const timestampText = headers.required(names.timestamp);
  if (!timestampText.ok) return timestampText;
  const signatureHeader = headers.required(names.signature);
  if (!signatureHeader.ok) return signatureHeader;

  if (!MESSAGE_ID.test(id.value)) return reject('malformed_header', `${prefix}-id is not a valid message id`);
  const seconds = parseUnixSeconds(timestampText.value);
  if (seconds === undefined) {
    return reject('malformed_header', `${prefix}-timestamp must be Unix seconds (1 to 10 digits)`);
  }
  const signatures = parseStandardWebhooksSignatureHeader(
    signatureHeader.value,
    config.maxSignatures ?? DEFAULT_MAX_SIGNATURES,
  );
  if (!signatures.ok) return signatures;

  const tooFar = checkTolerance(seconds * 1000, now, config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
  if (tooFar !== undefined) return tooFar;

  const signedPrefix = `${id.value}.${timestampText.value}.`;
  const secrets = activeSecrets(config.secrets, now);
  let ed25519Content: Buffer | undefined;
  for (const secret of secrets) {
    const key = standardWebhooksKey(secret);
    let matched = false;
    if (key?.kind === 'hmac' && signatures.v1.length > 0) {
      const expected = hmacSha256(key.key, signedPrefix, request.body);
      matched = signatures.v1.some((presented) => digestsEqual(expected, presented));
    } else if (key?.kind === 'ed25519' && signatures.v1a.length > 0) {
      ed25519Content ??= Buffer.concat([Buffer.from(signedPrefix), request.body]);
      const content = ed25519Content;
      matched = signatures.v1a.some(
        (presented) => presented.length === 64 && verifyEd25519(null, content, key.key, presented),
      );
    }
    if (matched) {
      return {
        ok: true,
        scheme: 'standard-webhooks',
        eventId: id.value,
        timestamp: new Date(seconds * 1000),
        ...(secret.id !== undefined && { secretId: secret.id }),
      };
    }
  }
  return reject('bad_signature', noMatchMessage(secrets.length, config.secrets.length));
}
