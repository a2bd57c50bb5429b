import { describe, expect, it } from 'vitest';
import type { SignatureSchemeConfig } from '../../src/signatures/types.js';
import { verifySignature } from '../../src/signatures/verifySignature.js';
import { NOW } from '../helpers/signatureRequests.js';

describe('verifySignature', () => {
  it('answers unknown_provider for a scheme it does not know (config cast from JSON)', async () => {
    const config = JSON.parse('{"scheme":"pgp","secrets":[]}') as SignatureSchemeConfig;
    const result = await verifySignature(config, { headers: {}, body: new Uint8Array(), now: NOW });
    expect(result).toEqual({
      ok: false,
      reason: 'unknown_provider',
      message: 'unknown signature scheme pgp',
    });
  });

  it('uses the real clock when the request carries none', async () => {
    // A Stripe timestamp of 1 (1970) is stale against any real clock.
    const result = await verifySignature(
      { scheme: 'stripe', secrets: [{ value: 's' }] },
      { headers: { 'stripe-signature': `t=1,v1=${'a'.repeat(64)}` }, body: new Uint8Array() },
    );
    expect(result).toMatchObject({ ok: false, reason: 'stale' });
  });
});
