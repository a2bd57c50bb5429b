import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeaderAccess } from '../../src/signatures/headerAccess.js';
import { parsePrefixedDigest } from '../../src/signatures/parsePrefixedDigest.js';
import { parseSnsMessage } from '../../src/signatures/parseSnsMessage.js';
import { parseStandardWebhooksSignatureHeader } from '../../src/signatures/parseStandardWebhooksSignatureHeader.js';
import { parseStripeSignatureHeader } from '../../src/signatures/parseStripeSignatureHeader.js';
import { REJECTION_REASONS } from '../../src/signatures/rejection.js';
import { parseUnixSeconds } from '../../src/signatures/timestampTolerance.js';
import type { SignatureSchemeConfig } from '../../src/signatures/types.js';
import { verifySignature } from '../../src/signatures/verifySignature.js';
import { NOW } from '../helpers/signatureRequests.js';

/** Header-ish text: printable ASCII plus the separators the parsers split on, and some non-ASCII. */
const headerText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({
    unit: fc.constantFrom('v', '1', 'a', ',', ' ', '=', 't', '+', '/', 'A', 'z', '0', '.'),
    maxLength: 200,
  }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
);

function isTypedResult(result: { ok: boolean; reason?: string; message?: string }): boolean {
  if (result.ok) return true;
  return REJECTION_REASONS.includes(result.reason as never) && typeof result.message === 'string';
}

describe('header parsers on arbitrary input', () => {
  it('parseStandardWebhooksSignatureHeader never throws and respects the signature cap', () => {
    fc.assert(
      fc.property(headerText, fc.integer({ min: 1, max: 20 }), (header, max) => {
        const result = parseStandardWebhooksSignatureHeader(header, max);
        expect(isTypedResult(result)).toBe(true);
        if (result.ok) {
          expect(result.v1.length + result.v1a.length).toBeLessThanOrEqual(max);
          for (const signature of [...result.v1, ...result.v1a]) expect(signature.length).toBeGreaterThan(0);
        } else {
          expect(result.reason).toBe('malformed_header');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('parseStandardWebhooksSignatureHeader round-trips well-formed headers', () => {
    const entry = fc.tuple(fc.constantFrom('v1', 'v1a'), fc.uint8Array({ minLength: 1, maxLength: 64 }));
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 10 }), (entries) => {
        const header = entries
          .map(([version, bytes]) => `${version},${Buffer.from(bytes).toString('base64')}`)
          .join(' ');
        const result = parseStandardWebhooksSignatureHeader(header, 10);
        expect(result.ok).toBe(true);
        if (result.ok) {
          const v1 = entries.filter(([version]) => version === 'v1').map(([, bytes]) => Buffer.from(bytes));
          expect(result.v1).toEqual(v1);
        }
      }),
    );
  });

  it('parseStripeSignatureHeader never throws; a parsed t is always 1-10 digits', () => {
    fc.assert(
      fc.property(headerText, (header) => {
        const result = parseStripeSignatureHeader(header, 10);
        expect(isTypedResult(result)).toBe(true);
        if (result.ok) expect(result.timestampText).toMatch(/^\d{1,10}$/);
        else expect(result.reason).toBe('malformed_header');
      }),
      { numRuns: 2000 },
    );
  });

  it('parsePrefixedDigest never throws, for hex and base64', () => {
    fc.assert(
      fc.property(
        headerText,
        fc.constantFrom('', 'sha256=', 'v0='),
        fc.constantFrom('hex', 'base64'),
        (h, p, e) => {
          const result = parsePrefixedDigest(h, p, e as 'hex' | 'base64', 'X-Test');
          expect(isTypedResult(result)).toBe(true);
          if (result.ok) expect(result.digest.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('parseUnixSeconds accepts exactly ^\\d{1,10}$', () => {
    fc.assert(
      fc.property(headerText, (text) => {
        const parsed = parseUnixSeconds(text);
        expect(parsed !== undefined).toBe(/^\d{1,10}$/.test(text));
        if (parsed !== undefined) expect(Number.isSafeInteger(parsed)).toBe(true);
      }),
    );
  });

  it('HeaderAccess never throws on arbitrary header maps and never returns an over-long value', () => {
    const value = fc.oneof(fc.constant(undefined), headerText, fc.array(headerText, { maxLength: 3 }));
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 20 }), value),
        fc.string({ maxLength: 20 }),
        (headers, name) => {
          const access = new HeaderAccess(headers, 64);
          const read = access.optional(name);
          expect(isTypedResult(read)).toBe(true);
          if (read.ok && read.value !== undefined) expect(read.value.length).toBeLessThanOrEqual(64);
        },
      ),
    );
  });

  it('parseSnsMessage never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.json().map((j) => Buffer.from(j)),
        ),
        (body) => {
          const result = parseSnsMessage(body);
          expect(result.ok || result.reason === 'invalid_payload').toBe(true);
        },
      ),
    );
  });
});

describe('verifySignature on arbitrary requests', () => {
  const configs: SignatureSchemeConfig[] = [
    { scheme: 'standard-webhooks', secrets: [{ value: `whsec_${Buffer.alloc(32, 1).toString('base64')}` }] },
    { scheme: 'stripe', secrets: [{ value: 's' }] },
    { scheme: 'github', secrets: [{ value: 's' }] },
    { scheme: 'slack', secrets: [{ value: 's' }] },
    { scheme: 'shopify', secrets: [{ value: 's' }] },
    {
      scheme: 'hmac',
      secrets: [{ value: 's' }],
      header: 'x-sig',
      algorithm: 'sha256',
      encoding: 'base64',
      signedContent: { kind: 'timestamp-body', timestampHeader: 'x-ts', separator: ':' },
    },
    { scheme: 'sns' },
  ];
  const names = fc.constantFrom(
    'webhook-id',
    'webhook-timestamp',
    'webhook-signature',
    'svix-signature',
    'Stripe-Signature',
    'X-Hub-Signature-256',
    'x-slack-signature',
    'x-slack-request-timestamp',
    'x-shopify-hmac-sha256',
    'x-sig',
    'x-ts',
    'x-amz-sns-message-type',
  );

  it('only ever resolves to a typed result, never throws, never accepts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...configs),
        fc.dictionary(names, fc.oneof(headerText, fc.array(headerText, { maxLength: 2 }))),
        fc.uint8Array({ maxLength: 128 }),
        async (config, headers, body) => {
          const result = await verifySignature(config, { headers, body, now: NOW });
          expect(isTypedResult(result)).toBe(true);
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
