import { describe, expect, it } from 'vitest';
import type { SignatureSchemeConfig, SigningSecret, VerifyResult } from '../../src/signatures/types.js';
import { verifySignature } from '../../src/signatures/verifySignature.js';
import {
  BODY_WITH_0XFF,
  BODY_WITH_REPLACEMENT,
  flipByte,
  NOW,
  secondsFromNow,
  withArrayHeader,
  withDuplicatedHeader,
  withHeader,
  withoutHeader,
} from './signatureRequests.js';

/** What the shared negative cases need to know about one HMAC-style scheme. */
export interface SchemeHarness {
  readonly label: string;
  config(secrets: readonly SigningSecret[]): SignatureSchemeConfig;
  /** A valid secret value, and another valid one that is not configured. */
  readonly secret: string;
  readonly otherSecret: string;
  /** Signs with our own signer; returns the headers to send. */
  sign(input: {
    readonly body: Uint8Array;
    readonly secret: string;
    readonly at: Date;
  }): Record<string, string>;
  /** The header that carries the signature. */
  readonly signatureHeader: string;
  /** The header that carries a separate timestamp, if the scheme has one. */
  readonly timestampHeader?: string;
  /** Whether the scheme signs a timestamp (and so has stale/future). */
  readonly timestamped: boolean;
  /** For schemes allowing several signatures: `headers` changed to carry `count` of them (the valid one last). */
  manySignatures?(headers: Record<string, string>, count: number): Record<string, string>;
}

const BODY = new TextEncoder().encode('{"files":[{"url":"https://data.example.org/a.bin","name":"a.bin"}]}');

function expectRejected(result: VerifyResult, reason: string): void {
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.reason).toBe(reason);
    expect(result.message.length).toBeGreaterThan(0);
  }
}

/** Registers the negative cases every scheme must pass (and the positive baseline they depart from). */
export function describeSchemeNegatives(harness: SchemeHarness): void {
  const { label } = harness;
  const config = harness.config([{ id: 'current', value: harness.secret }]);
  const signed = () => harness.sign({ body: BODY, secret: harness.secret, at: NOW });

  describe(`${label}: shared negative cases`, () => {
    it('accepts its own signature (baseline)', async () => {
      const result = await verifySignature(config, { headers: signed(), body: BODY, now: NOW });
      expect(result).toMatchObject({ ok: true, scheme: config.scheme, secretId: 'current' });
    });

    it('rejects one flipped body byte as bad_signature', async () => {
      for (const index of [0, BODY.length - 1]) {
        const result = await verifySignature(config, {
          headers: signed(),
          body: flipByte(BODY, index),
          now: NOW,
        });
        expectRejected(result, 'bad_signature');
      }
    });

    it('rejects a signature made with a secret that is not configured', async () => {
      const headers = harness.sign({ body: BODY, secret: harness.otherSecret, at: NOW });
      expectRejected(await verifySignature(config, { headers, body: BODY, now: NOW }), 'bad_signature');
    });

    if (harness.timestamped) {
      it('rejects a request signed 301 s ago as stale, accepts one signed 300 s ago', async () => {
        const old = harness.sign({ body: BODY, secret: harness.secret, at: secondsFromNow(-301) });
        expectRejected(await verifySignature(config, { headers: old, body: BODY, now: NOW }), 'stale');
        const edge = harness.sign({ body: BODY, secret: harness.secret, at: secondsFromNow(-300) });
        expect((await verifySignature(config, { headers: edge, body: BODY, now: NOW })).ok).toBe(true);
      });

      it('rejects a request signed 301 s in the future as future', async () => {
        const ahead = harness.sign({ body: BODY, secret: harness.secret, at: secondsFromNow(301) });
        expectRejected(await verifySignature(config, { headers: ahead, body: BODY, now: NOW }), 'future');
      });
    }

    it('rejects a request without the signature header as missing_header', async () => {
      const headers = withoutHeader(signed(), harness.signatureHeader);
      expectRejected(await verifySignature(config, { headers, body: BODY, now: NOW }), 'missing_header');
    });

    const { timestampHeader } = harness;
    if (timestampHeader !== undefined) {
      it('rejects a request without the timestamp header as missing_header', async () => {
        const headers = withoutHeader(signed(), timestampHeader);
        expectRejected(await verifySignature(config, { headers, body: BODY, now: NOW }), 'missing_header');
      });
    }

    it('rejects a signature header sent twice (two spellings, or an array) as malformed_header', async () => {
      const headers = signed();
      const value = headers[harness.signatureHeader] ?? '';
      const twice = withDuplicatedHeader(headers, harness.signatureHeader, value);
      expectRejected(
        await verifySignature(config, { headers: twice, body: BODY, now: NOW }),
        'malformed_header',
      );
      const array = withArrayHeader(headers, harness.signatureHeader);
      expectRejected(
        await verifySignature(config, { headers: array, body: BODY, now: NOW }),
        'malformed_header',
      );
    });

    it('rejects a signature header longer than 4096 bytes as malformed_header', async () => {
      const headers = signed();
      const value = `${headers[harness.signatureHeader] ?? ''}${' '.repeat(4097)}`;
      const oversized = withHeader(headers, harness.signatureHeader, value);
      expectRejected(
        await verifySignature(config, { headers: oversized, body: BODY, now: NOW }),
        'malformed_header',
      );
    });

    const { manySignatures } = harness;
    if (manySignatures !== undefined) {
      it('accepts 10 signatures but rejects 11 as malformed_header', async () => {
        const ten = manySignatures(signed(), 10);
        expect((await verifySignature(config, { headers: ten, body: BODY, now: NOW })).ok).toBe(true);
        const eleven = manySignatures(signed(), 11);
        expectRejected(
          await verifySignature(config, { headers: eleven, body: BODY, now: NOW }),
          'malformed_header',
        );
      });
    }

    if (manySignatures === undefined) {
      it('rejects a second signature in a header that carries exactly one as malformed_header', async () => {
        const headers = signed();
        const value = headers[harness.signatureHeader] ?? '';
        for (const separator of [',', ' ']) {
          const doubled = withHeader(headers, harness.signatureHeader, `${value}${separator}${value}`);
          const result = await verifySignature(config, { headers: doubled, body: BODY, now: NOW });
          expectRejected(result, 'malformed_header');
        }
      });
    }

    it('rejects a secret outside its validity window and accepts its successor', async () => {
      const rotated = harness.config([
        { id: 'old', value: harness.secret, notAfter: secondsFromNow(-1) },
        { id: 'new', value: harness.otherSecret, notBefore: secondsFromNow(-3600) },
      ]);
      const byOld = harness.sign({ body: BODY, secret: harness.secret, at: NOW });
      expectRejected(
        await verifySignature(rotated, { headers: byOld, body: BODY, now: NOW }),
        'bad_signature',
      );
      const byNew = harness.sign({ body: BODY, secret: harness.otherSecret, at: NOW });
      expect(await verifySignature(rotated, { headers: byNew, body: BODY, now: NOW })).toMatchObject({
        ok: true,
        secretId: 'new',
      });
    });

    it('rejects a secret before its notBefore, naming the window in the message', async () => {
      const early = harness.config([{ id: 'next', value: harness.secret, notBefore: secondsFromNow(60) }]);
      const result = await verifySignature(early, { headers: signed(), body: BODY, now: NOW });
      expectRejected(result, 'bad_signature');
      if (!result.ok) expect(result.message).toContain('outside their windows');
    });

    it('verifies raw bytes: a 0xFF body byte does not match a signature over U+FFFD, but matches its own', async () => {
      const overReplacement = harness.sign({ body: BODY_WITH_REPLACEMENT, secret: harness.secret, at: NOW });
      const trap = await verifySignature(config, {
        headers: overReplacement,
        body: BODY_WITH_0XFF,
        now: NOW,
      });
      expectRejected(trap, 'bad_signature');
      const overBytes = harness.sign({ body: BODY_WITH_0XFF, secret: harness.secret, at: NOW });
      expect((await verifySignature(config, { headers: overBytes, body: BODY_WITH_0XFF, now: NOW })).ok).toBe(
        true,
      );
    });
  });
}
