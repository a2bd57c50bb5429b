import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { signatureSchemeConfigSchema } from '../../src/signatures/schemas.js';

const WHSEC = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;
const WHPK = `whpk_${Buffer.alloc(32, 2).toString('base64')}`;

function parse(input: unknown) {
  return v.safeParse(signatureSchemeConfigSchema, input);
}

function firstMessage(input: unknown): string {
  const parsed = parse(input);
  return parsed.success ? '' : (parsed.issues[0]?.message ?? '');
}

describe('signature scheme config schema', () => {
  it('parses a Standard Webhooks config with ISO validity windows into Dates', () => {
    const parsed = parse({
      scheme: 'standard-webhooks',
      secrets: [
        { id: 'old', value: WHSEC, notAfter: '2026-12-01T00:00:00Z' },
        { id: 'ed', value: WHPK, notBefore: '2026-11-01T00:00:00Z' },
      ],
      toleranceSeconds: 120,
    });
    expect(parsed.success).toBe(true);
    if (parsed.success && parsed.output.scheme === 'standard-webhooks') {
      expect(parsed.output.secrets[0]?.notAfter).toEqual(new Date('2026-12-01T00:00:00Z'));
    }
  });

  it.each([
    ['a secret without whsec_/whpk_', { scheme: 'standard-webhooks', secrets: [{ value: 'plain' }] }],
    ['a whpk_ key that is not 32 bytes', { scheme: 'standard-webhooks', secrets: [{ value: 'whpk_AAAA' }] }],
    ['a too-short whsec_ secret', { scheme: 'standard-webhooks', secrets: [{ value: 'whsec_AAAA' }] }],
    ['no secrets', { scheme: 'stripe', secrets: [] }],
    ['an empty secret', { scheme: 'github', secrets: [{ value: '' }] }],
    ['a misspelt option', { scheme: 'slack', secrets: [{ value: 's' }], tolerance: 5 }],
    [
      'notBefore after notAfter',
      {
        scheme: 'shopify',
        secrets: [{ value: 's', notBefore: '2026-12-02T00:00:00Z', notAfter: '2026-12-01T00:00:00Z' }],
      },
    ],
    ['a zero tolerance', { scheme: 'stripe', secrets: [{ value: 's' }], toleranceSeconds: 0 }],
    ['an unknown scheme', { scheme: 'pgp', secrets: [{ value: 's' }] }],
    [
      'an invalid header name',
      {
        scheme: 'hmac',
        secrets: [{ value: 's' }],
        header: 'X Signature',
        algorithm: 'sha256',
        encoding: 'hex',
        signedContent: { kind: 'body' },
      },
    ],
    [
      'sha1',
      {
        scheme: 'hmac',
        secrets: [{ value: 's' }],
        header: 'X-Signature',
        algorithm: 'sha1',
        encoding: 'hex',
        signedContent: { kind: 'body' },
      },
    ],
    [
      'a non-hex secret with secretEncoding hex',
      {
        scheme: 'hmac',
        secrets: [{ value: 'xyz' }],
        header: 'X-Signature',
        algorithm: 'sha256',
        encoding: 'hex',
        signedContent: { kind: 'body' },
        secretEncoding: 'hex',
      },
    ],
    [
      'timestamp-body without a timestamp header',
      {
        scheme: 'hmac',
        secrets: [{ value: 's' }],
        header: 'X-Signature',
        algorithm: 'sha256',
        encoding: 'hex',
        signedContent: { kind: 'timestamp-body', separator: '.' },
      },
    ],
    ['an SNS topic that is not an ARN', { scheme: 'sns', topicArns: ['vendor-deliveries'] }],
  ])('refuses %s', (_label, input) => {
    expect(parse(input).success).toBe(false);
  });

  it('says what is wrong with a Standard Webhooks secret', () => {
    expect(firstMessage({ scheme: 'standard-webhooks', secrets: [{ value: 'plain' }] })).toContain('whsec_');
  });

  it('accepts a complete generic HMAC and SNS config', () => {
    expect(
      parse({
        scheme: 'hmac',
        secrets: [{ value: 'c2VjcmV0' }],
        header: 'X-Signature',
        algorithm: 'sha512',
        encoding: 'base64',
        prefix: 'sha512=',
        signedContent: { kind: 'timestamp-body', timestampHeader: 'X-Timestamp', separator: '.' },
        secretEncoding: 'base64',
        eventIdHeader: 'X-Event-Id',
      }).success,
    ).toBe(true);
    expect(
      parse({
        scheme: 'sns',
        topicArns: ['arn:aws:sns:eu-west-1:123456789012:vendor-deliveries'],
        signatureVersions: ['2'],
      }).success,
    ).toBe(true);
  });
});
