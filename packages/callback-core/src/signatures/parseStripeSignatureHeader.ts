import { decodeHexStrict } from './encoding.js';
import { DEFAULT_MAX_SIGNATURES } from './parseStandardWebhooksSignatureHeader.js';
import { type Rejection, reject } from './rejection.js';
import { parseUnixSeconds } from './timestampTolerance.js';

/** A parsed `Stripe-Signature` header. */
export interface StripeSignatures {
  readonly ok: true;
  /** `t=` exactly as sent (it is part of the signed content). */
  readonly timestampText: string;
  readonly timestampSeconds: number;
  /** `v1=` HMAC-SHA256 digests; other schemes (`v0`, future ones) are not collected. */
  readonly v1: readonly Buffer[];
}

const KEY = /^[a-z0-9]{1,8}$/;

/**
 * Parses `t=<ts>,v1=<hex>[,v1=<hex>…][,v0=<hex>]`. `t` must occur exactly once; every element must be a
 * `key=value` pair; `v1` values must be hex. Never throws.
 */
export function parseStripeSignatureHeader(
  header: string,
  maxSignatures: number = DEFAULT_MAX_SIGNATURES,
): StripeSignatures | Rejection {
  let timestampText: string | undefined;
  const v1: Buffer[] = [];
  let signatureCount = 0;
  for (const element of header.split(',')) {
    const equals = element.indexOf('=');
    const key = element.slice(0, equals);
    const value = element.slice(equals + 1);
    if (equals <= 0 || !KEY.test(key) || value.length === 0) {
      return reject('malformed_header', 'Stripe-Signature elements must look like key=value');
    }
    if (key === 't') {
      if (timestampText !== undefined)
        return reject('malformed_header', 'Stripe-Signature has more than one t=');
      timestampText = value;
      continue;
    }
    signatureCount += 1;
    if (signatureCount > maxSignatures) {
      return reject('malformed_header', `Stripe-Signature carries more than ${maxSignatures} signatures`);
    }
    if (key === 'v1') {
      const digest = decodeHexStrict(value);
      if (digest === undefined) return reject('malformed_header', 'Stripe-Signature v1 must be hex');
      v1.push(digest);
    }
  }
  if (timestampText === undefined) return reject('malformed_header', 'Stripe-Signature has no t=');
  const timestampSeconds = parseUnixSeconds(timestampText);
  if (timestampSeconds === undefined) {
    return reject('malformed_header', 'Stripe-Signature t= must be Unix seconds (1 to 10 digits)');
  }
  return { ok: true, timestampText, timestampSeconds, v1 };
}
