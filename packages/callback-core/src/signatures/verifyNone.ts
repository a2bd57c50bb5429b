import { type Rejection, reject } from './rejection.js';
import type { NoneSchemeConfig, Verified } from './types.js';

/**
 * The `none` scheme: accepts without a signature, but only when the config states that the callback
 * URL is a capability (the profile validation checks the URL part). Anything else fails closed.
 */
export async function verifyNone(config: NoneSchemeConfig): Promise<Verified | Rejection> {
  // Checked again here (the type already says `true`) because configs can be built without the schema.
  if ((config.requireCapabilityUrl as boolean) !== true) {
    return reject('bad_signature', 'scheme "none" is only accepted with requireCapabilityUrl: true');
  }
  return { ok: true, scheme: 'none' };
}
