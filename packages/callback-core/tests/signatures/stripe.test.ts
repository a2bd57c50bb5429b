import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { signStripe } from '../../src/signatures/signStripe.js';
import type { StripeSchemeConfig } from '../../src/signatures/types.js';
import { verifySignature } from '../../src/signatures/verifySignature.js';
import { describeSchemeNegatives } from '../helpers/schemeNegativeCases.js';
import { NOW, withHeader } from '../helpers/signatureRequests.js';

// Stripe secrets look base64-ish but are used as UTF-8 text; this one would decode to different bytes.
const SECRET = 'whsec_c3RyaXBlLXRlc3Qtc2VjcmV0LW9uZQ==';
const OTHER_SECRET = 'whsec_c3RyaXBlLXRlc3Qtc2VjcmV0LXR3bw==';
const BODY = '{"id":"evt_1","object":"event","type":"checkout.session.completed"}';
const SECONDS = NOW.getTime() / 1000;

function configOf(secrets: StripeSchemeConfig['secrets']): StripeSchemeConfig {
  return { scheme: 'stripe', secrets };
}

describe('Stripe: third-party signer', () => {
  it('accepts a header made by stripe.webhooks.generateTestHeaderString', async () => {
    // Prepare
    const header = Stripe.webhooks.generateTestHeaderString({
      payload: BODY,
      secret: SECRET,
      timestamp: SECONDS,
    });
    // Act
    const result = await verifySignature(configOf([{ id: 'ep', value: SECRET }]), {
      headers: { 'Stripe-Signature': header },
      body: Buffer.from(BODY),
      now: NOW,
    });
    // Assess
    expect(result).toEqual({ ok: true, scheme: 'stripe', timestamp: NOW, secretId: 'ep' });
  });

  it('produces a header that Stripe’s own verifier accepts', () => {
    const headers = signStripe({ body: BODY, timestamp: NOW, secrets: [SECRET] });
    const header = headers['stripe-signature'] ?? '';
    expect(Stripe.webhooks.signature?.verifyHeader(BODY, header, SECRET, 300, undefined, SECONDS)).toBe(true);
  });

  it('uses the secret as UTF-8, not base64-decoded', async () => {
    const decodedKey = Buffer.from(SECRET.slice('whsec_'.length), 'base64').toString('latin1');
    const header = Stripe.webhooks.generateTestHeaderString({
      payload: BODY,
      secret: decodedKey,
      timestamp: SECONDS,
    });
    const result = await verifySignature(configOf([{ value: SECRET }]), {
      headers: { 'stripe-signature': header },
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });
});

describe('Stripe: header parsing', () => {
  const valid = signStripe({ body: BODY, timestamp: NOW, secrets: [SECRET] })['stripe-signature'] ?? '';
  const config = configOf([{ value: SECRET }]);
  const verifyWith = (header: string) =>
    verifySignature(config, { headers: { 'stripe-signature': header }, body: Buffer.from(BODY), now: NOW });

  it('accepts several v1 (one per active secret) and ignores v0', async () => {
    const header = `${valid},v1=${randomBytes(32).toString('hex')},v0=${randomBytes(32).toString('hex')}`;
    expect(await verifyWith(header)).toMatchObject({ ok: true });
  });

  it('rejects a header whose only valid digest is labelled v0 as bad_signature', async () => {
    expect(await verifyWith(valid.replace('v1=', 'v0='))).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it.each([
    ['no t=', `v1=${'a'.repeat(64)}`],
    ['two t=', `t=${SECONDS},t=${SECONDS},v1=${'a'.repeat(64)}`],
    ['a t= with a fraction', `t=${SECONDS}.5,v1=${'a'.repeat(64)}`],
    ['a t= of 11 digits', `t=17645808000,v1=${'a'.repeat(64)}`],
    ['a non-hex v1', `t=${SECONDS},v1=zz`],
    ['an element without =', `t=${SECONDS},v1`],
    ['an empty element', `t=${SECONDS},,v1=${'a'.repeat(64)}`],
    ['spaces around elements', `t=${SECONDS}, v1=${'a'.repeat(64)}`],
  ])('rejects a header with %s as malformed_header', async (_label, header) => {
    expect(await verifyWith(header)).toMatchObject({ ok: false, reason: 'malformed_header' });
  });
});

describeSchemeNegatives({
  label: 'stripe',
  config: (secrets) => configOf(secrets),
  secret: SECRET,
  otherSecret: OTHER_SECRET,
  sign: ({ body, secret, at }) => signStripe({ body, timestamp: at, secrets: [secret] }),
  signatureHeader: 'stripe-signature',
  timestamped: true,
  manySignatures: (headers, count) => {
    const [t, v1] = (headers['stripe-signature'] ?? '').split(',');
    const decoys = Array.from({ length: count - 1 }, () => `v1=${randomBytes(32).toString('hex')}`);
    return { ...headers, 'stripe-signature': [t, ...decoys, v1].join(',') };
  },
});

describe('Stripe: timestamp is inside the signature header', () => {
  it('rejects a request whose t= was rewritten to now as bad_signature', async () => {
    const old =
      signStripe({ body: BODY, timestamp: SECONDS - 3600, secrets: [SECRET] })['stripe-signature'] ?? '';
    const replayed = old.replace(`t=${SECONDS - 3600}`, `t=${SECONDS}`);
    const result = await verifySignature(configOf([{ value: SECRET }]), {
      headers: withHeader({}, 'stripe-signature', replayed),
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });
});
