import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signGenericHmac } from '../../src/signatures/signGenericHmac.js';
import type { GenericHmacSchemeConfig, SigningSecret } from '../../src/signatures/types.js';
import { verifySignature } from '../../src/signatures/verifySignature.js';
import { describeSchemeNegatives } from '../helpers/schemeNegativeCases.js';
import { NOW } from '../helpers/signatureRequests.js';

const BODY = '{"jobId":"run-42","status":"done"}';
const SECONDS = String(NOW.getTime() / 1000);

const timestamped = (secrets: readonly SigningSecret[]): GenericHmacSchemeConfig => ({
  scheme: 'hmac',
  secrets,
  header: 'X-Signature',
  algorithm: 'sha512',
  encoding: 'base64',
  prefix: 'sha512=',
  signedContent: { kind: 'timestamp-body', timestampHeader: 'X-Timestamp', separator: '.' },
  eventIdHeader: 'X-Event-Id',
});

const bodyOnly = (secrets: readonly SigningSecret[]): GenericHmacSchemeConfig => ({
  scheme: 'hmac',
  secrets,
  header: 'X-Vendor-Signature',
  algorithm: 'sha256',
  encoding: 'hex',
  signedContent: { kind: 'body' },
  secretEncoding: 'hex',
});

describe('generic HMAC', () => {
  it('accepts sha512/base64/prefix over "<ts>.<body>" computed independently, reporting event id and time', async () => {
    const digest = createHmac('sha512', 'vendor-secret').update(`${SECONDS}.${BODY}`).digest('base64');
    const result = await verifySignature(timestamped([{ value: 'vendor-secret' }]), {
      headers: { 'x-signature': `sha512=${digest}`, 'x-timestamp': SECONDS, 'x-event-id': 'evt-7' },
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(result).toEqual({ ok: true, scheme: 'hmac', eventId: 'evt-7', timestamp: NOW });
  });

  it('accepts sha256/hex over the body with a hex-encoded secret', async () => {
    const key = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const digest = createHmac('sha256', key).update(BODY).digest('hex');
    const result = await verifySignature(bodyOnly([{ value: '00112233445566778899aabbccddeeff' }]), {
      headers: { 'x-vendor-signature': digest },
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(result).toEqual({ ok: true, scheme: 'hmac' });
  });

  it('rejects a sha256 digest where the config says sha512 as bad_signature', async () => {
    const digest = createHmac('sha256', 'vendor-secret').update(`${SECONDS}.${BODY}`).digest('base64');
    const result = await verifySignature(timestamped([{ value: 'vendor-secret' }]), {
      headers: { 'x-signature': `sha512=${digest}`, 'x-timestamp': SECONDS },
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a signature without the configured prefix as malformed_header', async () => {
    const headers = signGenericHmac(timestamped([]), { body: BODY, secret: 'vendor-secret', timestamp: NOW });
    const result = await verifySignature(timestamped([{ value: 'vendor-secret' }]), {
      headers: { ...headers, 'x-signature': (headers['x-signature'] ?? '').replace('sha512=', '') },
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false, reason: 'malformed_header' });
  });
});

describeSchemeNegatives({
  label: 'hmac (timestamp + body)',
  config: timestamped,
  secret: 'vendor-secret-one',
  otherSecret: 'vendor-secret-two',
  sign: ({ body, secret, at }) => signGenericHmac(timestamped([]), { body, secret, timestamp: at }),
  signatureHeader: 'x-signature',
  timestampHeader: 'x-timestamp',
  timestamped: true,
});

describeSchemeNegatives({
  label: 'hmac (body only)',
  config: bodyOnly,
  secret: 'aa'.repeat(32),
  otherSecret: 'bb'.repeat(32),
  sign: ({ body, secret }) => signGenericHmac(bodyOnly([]), { body, secret }),
  signatureHeader: 'x-vendor-signature',
  timestamped: false,
});
