import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { ed25519PublicKeyToWhpk, signStandardWebhooks } from '../../src/signatures/signStandardWebhooks.js';
import type { StandardWebhooksSchemeConfig } from '../../src/signatures/types.js';
import { verifySignature } from '../../src/signatures/verifySignature.js';
import { describeSchemeNegatives } from '../helpers/schemeNegativeCases.js';
import { NOW, withHeader } from '../helpers/signatureRequests.js';

// The Standard Webhooks specification's shared test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const OTHER_SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const BODY = '{"files":[{"url":"https://data.example.org/a.bin","name":"a.bin"}]}';

function configOf(secrets: StandardWebhooksSchemeConfig['secrets']): StandardWebhooksSchemeConfig {
  return { scheme: 'standard-webhooks', secrets };
}

describe('Standard Webhooks: known-answer vector', () => {
  const headers = {
    'webhook-id': VECTOR.id,
    'webhook-timestamp': String(VECTOR.timestamp),
    'webhook-signature': VECTOR.signature,
  };

  it('accepts the published vector and reports its id and timestamp', async () => {
    // Prepare
    const config = configOf([{ id: 'spec', value: VECTOR.secret }]);
    // Act
    const result = await verifySignature(config, {
      headers,
      body: Buffer.from(VECTOR.body),
      now: new Date(VECTOR.timestamp * 1000),
    });
    // Assess
    expect(result).toEqual({
      ok: true,
      scheme: 'standard-webhooks',
      eventId: VECTOR.id,
      timestamp: new Date(VECTOR.timestamp * 1000),
      secretId: 'spec',
    });
  });

  it('our signer reproduces the published signature exactly', () => {
    const signed = signStandardWebhooks({
      id: VECTOR.id,
      timestamp: VECTOR.timestamp,
      body: VECTOR.body,
      keys: [VECTOR.secret],
    });
    expect(signed).toEqual(headers);
  });

  it('rejects the vector verified against its own time plus 301 s as stale', async () => {
    const result = await verifySignature(configOf([{ value: VECTOR.secret }]), {
      headers,
      body: Buffer.from(VECTOR.body),
      now: new Date((VECTOR.timestamp + 301) * 1000),
    });
    expect(result).toMatchObject({ ok: false, reason: 'stale' });
  });
});

describe('Standard Webhooks: third-party signers', () => {
  it('accepts what the standardwebhooks package signs', async () => {
    // Prepare: the reference library signs with the real clock.
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const signature = new StandardWebhook(SECRET).sign('msg_lib_1', now, BODY);
    // Act
    const result = await verifySignature(configOf([{ value: SECRET }]), {
      headers: {
        'Webhook-Id': 'msg_lib_1',
        'Webhook-Timestamp': String(now.getTime() / 1000),
        'Webhook-Signature': signature,
      },
      body: Buffer.from(BODY),
      now,
    });
    // Assess
    expect(result).toMatchObject({ ok: true, eventId: 'msg_lib_1', timestamp: now });
  });

  it('produces what the standardwebhooks package accepts', () => {
    const now = new Date();
    const headers = signStandardWebhooks({ id: 'msg_ours_1', timestamp: now, body: BODY, keys: [SECRET] });
    expect(new StandardWebhook(SECRET).verify(BODY, headers)).toEqual(JSON.parse(BODY));
  });

  it('accepts what svix signs, under svix-* header names', async () => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const signature = new SvixWebhook(SECRET).sign('msg_svix_1', now, BODY);
    const result = await verifySignature(configOf([{ value: SECRET }]), {
      headers: {
        'svix-id': 'msg_svix_1',
        'svix-timestamp': String(now.getTime() / 1000),
        'svix-signature': signature,
      },
      body: Buffer.from(BODY),
      now,
    });
    expect(result).toMatchObject({ ok: true, eventId: 'msg_svix_1' });
  });

  it('with headerPrefix "webhook", refuses svix-* headers as missing_header', async () => {
    const headers = signStandardWebhooks({
      id: 'msg_1',
      timestamp: NOW,
      body: BODY,
      keys: [SECRET],
      headerPrefix: 'svix',
    });
    const result = await verifySignature(
      { scheme: 'standard-webhooks', secrets: [{ value: SECRET }], headerPrefix: 'webhook' },
      { headers, body: Buffer.from(BODY), now: NOW },
    );
    expect(result).toMatchObject({ ok: false, reason: 'missing_header' });
  });
});

describe('Standard Webhooks v1a (Ed25519)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const whpk = ed25519PublicKeyToWhpk(publicKey);

  function ed25519Headers(key = privateKey, body = BODY) {
    const seconds = String(NOW.getTime() / 1000);
    const signature = sign(null, Buffer.from(`msg_ed_1.${seconds}.${body}`), key).toString('base64');
    return {
      'webhook-id': 'msg_ed_1',
      'webhook-timestamp': seconds,
      'webhook-signature': `v1a,${signature}`,
    };
  }

  it('accepts a v1a signature made with node:crypto against the whpk_ public key', async () => {
    const result = await verifySignature(configOf([{ id: 'ed', value: whpk }]), {
      headers: ed25519Headers(),
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: true, secretId: 'ed', eventId: 'msg_ed_1' });
  });

  it('rejects a v1a signature by another key, and a v1a signature over a flipped byte', async () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const config = configOf([{ value: whpk }]);
    const byOther = await verifySignature(config, {
      headers: ed25519Headers(other),
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(byOther).toMatchObject({ ok: false, reason: 'bad_signature' });
    const flipped = Buffer.from(BODY.replace('a.bin', 'b.bin'));
    const tampered = await verifySignature(config, { headers: ed25519Headers(), body: flipped, now: NOW });
    expect(tampered).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('never accepts a v1 HMAC signature computed with the public key bytes as the secret', async () => {
    // A confused verifier that treats whpk_ as an HMAC key would accept this forgery.
    const forged = signStandardWebhooks({
      id: 'msg_1',
      timestamp: NOW,
      body: BODY,
      keys: [whpk.replace('whpk_', 'whsec_')],
    });
    const result = await verifySignature(configOf([{ value: whpk }]), {
      headers: forged,
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('accepts a header carrying v1 and v1a when either secret matches (mixed rotation)', async () => {
    const headers = signStandardWebhooks({
      id: 'msg_mix',
      timestamp: NOW,
      body: BODY,
      keys: [OTHER_SECRET, { ed25519PrivateKey: privateKey }],
    });
    const result = await verifySignature(
      configOf([
        { id: 'hmac', value: SECRET },
        { id: 'ed', value: whpk },
      ]),
      {
        headers,
        body: Buffer.from(BODY),
        now: NOW,
      },
    );
    expect(result).toMatchObject({ ok: true, secretId: 'ed' });
  });
});

describe('Standard Webhooks: header parsing', () => {
  const base = signStandardWebhooks({ id: 'msg_p_1', timestamp: NOW, body: BODY, keys: [SECRET] });
  const config = configOf([{ value: SECRET }]);
  const verifyWith = (headers: Record<string, string | readonly string[] | undefined>) =>
    verifySignature(config, { headers, body: Buffer.from(BODY), now: NOW });

  it('skips signatures of unknown versions and still finds the valid one', async () => {
    const signature = `v2,${randomBytes(32).toString('base64')} ${base['webhook-signature']}`;
    expect(await verifyWith(withHeader(base, 'webhook-signature', signature))).toMatchObject({ ok: true });
  });

  it('rejects a header with only unknown versions as bad_signature', async () => {
    const signature = `v2,${randomBytes(32).toString('base64')}`;
    expect(await verifyWith(withHeader(base, 'webhook-signature', signature))).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it.each([
    ['no comma', 'v1'],
    ['not base64', 'v1,@@@@'],
    ['empty signature', 'v1,'],
    ['empty header', ''],
    ['unpadded base64', `v1,${randomBytes(32).toString('base64').replace(/=+$/, '')}`],
  ])('rejects a signature header with %s as malformed_header', async (_label, value) => {
    expect(await verifyWith(withHeader(base, 'webhook-signature', value))).toMatchObject({
      ok: false,
      reason: 'malformed_header',
    });
  });

  it.each([
    ['a plus sign', `+${NOW.getTime() / 1000}`],
    ['a fraction', `${NOW.getTime() / 1000}.5`],
    ['11 digits', '17645808000'],
    ['leading space', ` ${NOW.getTime() / 1000}`],
    ['a negative number', '-1'],
    ['milliseconds', String(NOW.getTime())],
    ['an ISO date', NOW.toISOString()],
  ])('rejects a timestamp with %s as malformed_header', async (_label, value) => {
    expect(await verifyWith(withHeader(base, 'webhook-timestamp', value))).toMatchObject({
      ok: false,
      reason: 'malformed_header',
    });
  });

  it('rejects a message id containing a space as malformed_header', async () => {
    expect(await verifyWith(withHeader(base, 'webhook-id', 'msg 1'))).toMatchObject({
      ok: false,
      reason: 'malformed_header',
    });
  });

  it('reads headers in any case', async () => {
    const shouted = Object.fromEntries(
      Object.entries(base).map(([name, value]) => [name.toUpperCase(), value]),
    );
    expect(await verifyWith(shouted)).toMatchObject({ ok: true, eventId: 'msg_p_1' });
  });
});

describeSchemeNegatives({
  label: 'standard-webhooks',
  config: (secrets) => configOf(secrets),
  secret: SECRET,
  otherSecret: OTHER_SECRET,
  sign: ({ body, secret, at }) =>
    signStandardWebhooks({ id: 'msg_neg_1', timestamp: at, body, keys: [secret] }),
  signatureHeader: 'webhook-signature',
  timestampHeader: 'webhook-timestamp',
  timestamped: true,
  manySignatures: (headers, count) => {
    const valid = headers['webhook-signature'] ?? '';
    const decoys = Array.from({ length: count - 1 }, () => `v1,${randomBytes(32).toString('base64')}`);
    return { ...headers, 'webhook-signature': [...decoys, valid].join(' ') };
  },
});
