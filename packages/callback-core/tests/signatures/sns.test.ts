import { sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCachingCertificateFetcher } from '../../src/signatures/createCachingCertificateFetcher.js';
import { type SnsUnsignedMessage, signSns } from '../../src/signatures/signSns.js';
import type { SnsSchemeConfig, VerifyResult } from '../../src/signatures/types.js';
import { verifySignature } from '../../src/signatures/verifySignature.js';
import { NOW, secondsFromNow } from '../helpers/signatureRequests.js';
import {
  type CertificateServer,
  generateSelfSignedCertificate,
  startCertificateServer,
  type TestCertificate,
} from '../helpers/snsCertificate.js';

const CERT_PATH = '/SimpleNotificationService-0000000000000000000000000000000a.pem';
const SHORT_CERT_PATH = '/SimpleNotificationService-short-lived.pem';
const CERT_URL = `https://sns.eu-west-1.amazonaws.com${CERT_PATH}`;
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:vendor-deliveries';
const CONFIG: SnsSchemeConfig = { scheme: 'sns', topicArns: [TOPIC] };
const SNS_HEADERS = { 'x-amz-sns-message-type': 'Notification' };

let certificate: TestCertificate;
let otherCertificate: TestCertificate;
let shortLived: TestCertificate;
let server: CertificateServer;

beforeAll(async () => {
  [certificate, otherCertificate, shortLived] = await Promise.all([
    generateSelfSignedCertificate(2),
    generateSelfSignedCertificate(2),
    generateSelfSignedCertificate(1),
  ]);
  server = await startCertificateServer({
    [CERT_PATH]: certificate.certificatePem,
    [SHORT_CERT_PATH]: shortLived.certificatePem,
  });
});

afterAll(async () => {
  await server.close();
});

/** The real clock, whole seconds: the self-signed certificates are valid from "now". */
function realNow(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

function notification(at: Date, overrides: Partial<SnsUnsignedMessage> = {}): SnsUnsignedMessage {
  return {
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: TOPIC,
    Subject: 'delivery ready',
    Message: '{"files":[{"url":"https://data.example.org/a.bin","name":"a.bin"}]}',
    Timestamp: at.toISOString(),
    UnsubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x',
    ...overrides,
  };
}

function confirmation(
  at: Date,
  type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation',
): SnsUnsignedMessage {
  return {
    Type: type,
    MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
    Token:
      '2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736',
    TopicArn: TOPIC,
    Message: 'You have chosen to subscribe to the topic.',
    SubscribeURL:
      'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-1:123456789012:vendor-deliveries&Token=2336',
    Timestamp: at.toISOString(),
  };
}

function signed(
  message: SnsUnsignedMessage,
  key = certificate,
  version: '1' | '2' = '2',
  certUrl = CERT_URL,
): Record<string, string> {
  return signSns(message, { privateKey: key.privateKey, signingCertUrl: certUrl, signatureVersion: version });
}

function bodyOf(fields: Record<string, string>): Buffer {
  return Buffer.from(JSON.stringify(fields));
}

async function verifyMessage(
  fields: Record<string, string>,
  options: { now?: Date; config?: SnsSchemeConfig; headers?: Record<string, string | string[]> } = {},
): Promise<VerifyResult> {
  const now = options.now ?? realNow();
  return verifySignature(
    options.config ?? CONFIG,
    {
      headers: { 'x-amz-sns-message-type': fields.Type ?? '', ...options.headers },
      body: bodyOf(fields),
      now,
    },
    { snsCertificateFetcher: server.fetcher },
  );
}

describe('SNS: accepted messages', () => {
  it('accepts a SignatureVersion 2 Notification signed independently over the documented canonical string', async () => {
    // Prepare: build the canonical string by hand rather than with our own helper.
    const now = realNow();
    const message = notification(now);
    const canonical =
      `Message\n${message.Message}\nMessageId\n${message.MessageId}\nSubject\n${message.Subject}\n` +
      `Timestamp\n${message.Timestamp}\nTopicArn\n${message.TopicArn}\nType\nNotification\n`;
    const signature = sign('sha256', Buffer.from(canonical), certificate.privateKey).toString('base64');
    const fields = {
      ...message,
      SignatureVersion: '2',
      Signature: signature,
      SigningCertURL: CERT_URL,
    } as Record<string, string>;
    // Act
    const result = await verifyMessage(fields, { now });
    // Assess
    expect(result).toEqual({
      ok: true,
      scheme: 'sns',
      eventId: message.MessageId,
      timestamp: now,
      snsMessageType: 'Notification',
      snsTopicArn: TOPIC,
      snsMessage: message.Message,
    });
  });

  it('accepts SignatureVersion 1 (SHA1withRSA) and a Notification without Subject', async () => {
    const now = realNow();
    const { Subject: _omitted, ...withoutSubject } = notification(now);
    expect(await verifyMessage(signed(withoutSubject, certificate, '1'), { now })).toMatchObject({
      ok: true,
    });
  });

  it('verifies a SubscriptionConfirmation and hands its SubscribeURL to the caller without visiting it', async () => {
    const now = realNow();
    const before = server.requests.length;
    const message = confirmation(now, 'SubscriptionConfirmation');
    const result = await verifyMessage(signed(message), { now });
    expect(result).toMatchObject({
      ok: true,
      snsMessageType: 'SubscriptionConfirmation',
      snsSubscribeUrl: message.SubscribeURL,
    });
    // Only the certificate was fetched.
    expect(server.requests.slice(before)).toEqual([CERT_PATH]);
  });

  it('verifies an UnsubscribeConfirmation and reports no subscribe URL', async () => {
    const now = realNow();
    const result = await verifyMessage(signed(confirmation(now, 'UnsubscribeConfirmation')), { now });
    expect(result).toMatchObject({ ok: true, snsMessageType: 'UnsubscribeConfirmation' });
    expect(result.ok && result.snsSubscribeUrl).toBeUndefined();
  });

  it('accepts a certificate URL in the China partition (.amazonaws.com.cn)', async () => {
    const now = realNow();
    const fields = signed(
      notification(now),
      certificate,
      '2',
      `https://sns.cn-north-1.amazonaws.com.cn${CERT_PATH}`,
    );
    expect(await verifyMessage(fields, { now })).toMatchObject({ ok: true });
  });
});

describe('SNS: certificate fetching', () => {
  it('fetches each certificate once through the caching fetcher', async () => {
    const now = realNow();
    const caching = createCachingCertificateFetcher(server.fetcher);
    const before = server.requests.length;
    for (let i = 0; i < 3; i += 1) {
      const result = await verifySignature(
        CONFIG,
        { headers: SNS_HEADERS, body: bodyOf(signed(notification(now, { MessageId: `m-${i}` }))), now },
        { snsCertificateFetcher: caching },
      );
      expect(result.ok).toBe(true);
    }
    expect(server.requests.length - before).toBe(1);
  });

  it('shares one fetch between concurrent messages', async () => {
    const now = realNow();
    const caching = createCachingCertificateFetcher(server.fetcher);
    const before = server.requests.length;
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        verifySignature(
          CONFIG,
          { headers: SNS_HEADERS, body: bodyOf(signed(notification(now, { MessageId: `c-${i}` }))), now },
          { snsCertificateFetcher: caching },
        ),
      ),
    );
    expect(results.map((result) => result.ok)).toEqual([true, true, true, true]);
    expect(server.requests.length - before).toBe(1);
  });

  it('evicts the oldest certificate beyond maxEntries', async () => {
    const fetched: string[] = [];
    const caching = createCachingCertificateFetcher(
      async (url) => {
        fetched.push(url.pathname);
        return 'pem';
      },
      { maxEntries: 2 },
    );
    const url = (name: string) => new URL(`https://sns.eu-west-1.amazonaws.com/${name}.pem`);
    for (const name of ['a', 'b', 'c', 'b', 'a']) await caching(url(name));
    // 'a' was evicted when 'c' arrived; 'b' stayed cached.
    expect(fetched).toEqual(['/a.pem', '/b.pem', '/c.pem', '/a.pem']);
  });

  it('does not cache a failed fetch: the next message tries again', async () => {
    const now = realNow();
    const caching = createCachingCertificateFetcher(server.fetcher);
    const missingUrl = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-missing.pem';
    const before = server.requests.length;
    for (let i = 0; i < 2; i += 1) {
      const result = await verifySignature(
        CONFIG,
        { headers: SNS_HEADERS, body: bodyOf(signed(notification(now), certificate, '2', missingUrl)), now },
        { snsCertificateFetcher: caching },
      );
      expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
      if (!result.ok) expect(result.message).toContain('HTTP 404');
    }
    expect(server.requests.length - before).toBe(2);
  });

  it('fails closed when no certificate fetcher is configured', async () => {
    const now = realNow();
    const result = await verifySignature(CONFIG, {
      headers: SNS_HEADERS,
      body: bodyOf(signed(notification(now))),
      now,
    });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
    if (!result.ok) expect(result.message).toContain('snsCertificateFetcher');
  });
});

describe('SNS: rejected messages', () => {
  it('rejects one flipped byte inside Message as bad_signature', async () => {
    const now = realNow();
    const fields = signed(notification(now));
    const tampered = { ...fields, Message: (fields.Message ?? '').replace('a.bin', 'a.bio') };
    expect(await verifyMessage(tampered, { now })).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a message signed by a key other than the certificate’s as bad_signature', async () => {
    const now = realNow();
    expect(await verifyMessage(signed(notification(now), otherCertificate), { now })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('rejects a Timestamp older than 3600 s as stale and one ahead by more than 3600 s as future', async () => {
    const now = realNow();
    const old = signed(notification(new Date(now.getTime() - 3601_000)));
    expect(await verifyMessage(old, { now })).toMatchObject({ ok: false, reason: 'stale' });
    const ahead = signed(notification(new Date(now.getTime() + 3601_000)));
    expect(await verifyMessage(ahead, { now })).toMatchObject({ ok: false, reason: 'future' });
  });

  it('honours a configured tolerance', async () => {
    const now = realNow();
    const fields = signed(notification(new Date(now.getTime() - 61_000)));
    expect(await verifyMessage(fields, { now, config: { ...CONFIG, toleranceSeconds: 60 } })).toMatchObject({
      ok: false,
      reason: 'stale',
    });
  });

  it('rejects a message verified after its certificate expired (rotated-out key) as bad_signature', async () => {
    const later = new Date(Date.now() + 2 * 24 * 3600 * 1000);
    const shortUrl = `https://sns.eu-west-1.amazonaws.com${SHORT_CERT_PATH}`;
    const fields = signed(notification(later), shortLived, '2', shortUrl);
    const result = await verifyMessage(fields, { now: later });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
    if (!result.ok) expect(result.message).toContain('validity');
  });

  it.each(['Signature', 'SigningCertURL', 'MessageId', 'Timestamp'])(
    'rejects a Notification without %s as invalid_payload',
    async (field) => {
      const now = realNow();
      const fields: Record<string, string> = { ...signed(notification(now)) };
      delete fields[field];
      expect(await verifyMessage(fields, { now })).toMatchObject({ ok: false, reason: 'invalid_payload' });
    },
  );

  it('rejects a SubscriptionConfirmation without Token as invalid_payload', async () => {
    const now = realNow();
    const fields: Record<string, string> = { ...signed(confirmation(now, 'SubscriptionConfirmation')) };
    delete fields.Token;
    expect(await verifyMessage(fields, { now })).toMatchObject({ ok: false, reason: 'invalid_payload' });
  });

  it('rejects a duplicated, oversized or contradicting x-amz-sns-message-type as malformed_header', async () => {
    const now = realNow();
    const fields = signed(notification(now));
    const cases: Record<string, string | string[]>[] = [
      { 'x-amz-sns-message-type': ['Notification', 'Notification'] },
      { 'x-amz-sns-message-type': 'N'.repeat(4097) },
      { 'x-amz-sns-message-type': 'SubscriptionConfirmation' },
      { 'x-amz-sns-topic-arn': 'arn:aws:sns:eu-west-1:123456789012:other' },
      { 'x-amz-sns-message-id': 'another-message' },
    ];
    for (const headers of cases) {
      expect(await verifyMessage(fields, { now, headers })).toMatchObject({
        ok: false,
        reason: 'malformed_header',
      });
    }
  });

  it('rejects a request without x-amz-sns-message-type as missing_header', async () => {
    const now = realNow();
    const result = await verifySignature(
      CONFIG,
      { headers: {}, body: bodyOf(signed(notification(now))), now },
      { snsCertificateFetcher: server.fetcher },
    );
    expect(result).toMatchObject({ ok: false, reason: 'missing_header' });
  });

  it('rejects a body with a 0xFF byte as invalid_payload, even when signed over U+FFFD', async () => {
    const now = realNow();
    const fields = signed(notification(now, { Message: 'caf\uFFFD' }));
    const text = JSON.stringify(fields);
    const replacement = Buffer.from('\uFFFD');
    const at = Buffer.from(text).indexOf(replacement);
    const raw = Buffer.concat([
      Buffer.from(text).subarray(0, at),
      Buffer.from([0xff]),
      Buffer.from(text).subarray(at + replacement.length),
    ]);
    const result = await verifySignature(
      CONFIG,
      { headers: SNS_HEADERS, body: raw, now },
      { snsCertificateFetcher: server.fetcher },
    );
    expect(result).toMatchObject({ ok: false, reason: 'invalid_payload' });
  });

  it.each([
    ['plain http', `http://sns.eu-west-1.amazonaws.com${CERT_PATH}`],
    ['a look-alike host suffix', `https://sns.eu-west-1.amazonaws.com.evil.example${CERT_PATH}`],
    [
      'another host with the SNS name in the path',
      `https://evil.example/sns.eu-west-1.amazonaws.com${CERT_PATH}`,
    ],
    ['a non-SNS AWS host', `https://s3.eu-west-1.amazonaws.com${CERT_PATH}`],
    ['a path not ending in .pem', 'https://sns.eu-west-1.amazonaws.com/cert.pem.txt'],
    ['userinfo', `https://user@sns.eu-west-1.amazonaws.com${CERT_PATH}`],
    ['an explicit port', `https://sns.eu-west-1.amazonaws.com:8443${CERT_PATH}`],
    ['a trailing-dot host', `https://sns.eu-west-1.amazonaws.com.${CERT_PATH}`],
  ])('rejects a SigningCertURL with %s without fetching it', async (_label, url) => {
    const now = realNow();
    const before = server.requests.length;
    const result = await verifyMessage(signed(notification(now), certificate, '2', url), { now });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(server.requests.length).toBe(before);
  });

  it('rejects a SubscribeURL outside SNS as invalid_payload', async () => {
    const now = realNow();
    const message = {
      ...confirmation(now, 'SubscriptionConfirmation'),
      SubscribeURL: 'https://evil.example/confirm',
    };
    expect(await verifyMessage(signed(message), { now })).toMatchObject({
      ok: false,
      reason: 'invalid_payload',
    });
  });

  it('rejects a topic outside topicArns as unknown_provider without fetching the certificate', async () => {
    const now = realNow();
    const before = server.requests.length;
    const fields = signed(notification(now, { TopicArn: 'arn:aws:sns:eu-west-1:999999999999:someone-else' }));
    expect(await verifyMessage(fields, { now })).toMatchObject({ ok: false, reason: 'unknown_provider' });
    expect(server.requests.length).toBe(before);
  });

  it('rejects SignatureVersion 3, and version 1 when the config allows only 2, as bad_signature', async () => {
    const now = realNow();
    const v3 = { ...signed(notification(now)), SignatureVersion: '3' };
    expect(await verifyMessage(v3, { now })).toMatchObject({ ok: false, reason: 'bad_signature' });
    const v1 = signed(notification(now), certificate, '1');
    expect(await verifyMessage(v1, { now, config: { ...CONFIG, signatureVersions: ['2'] } })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('rejects a v2 signature relabelled as v1 as bad_signature', async () => {
    const now = realNow();
    const relabelled = { ...signed(notification(now), certificate, '2'), SignatureVersion: '1' };
    expect(await verifyMessage(relabelled, { now })).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['not JSON', Buffer.from('Type=Notification')],
    ['a JSON array', Buffer.from('[]')],
    ['an unknown Type', Buffer.from('{"Type":"Other"}')],
  ])('rejects a body that is %s as invalid_payload', async (_label, body) => {
    const result = await verifySignature(
      CONFIG,
      { headers: SNS_HEADERS, body, now: NOW },
      { snsCertificateFetcher: server.fetcher },
    );
    expect(result).toMatchObject({ ok: false, reason: 'invalid_payload' });
  });

  it('rejects a Timestamp that is not ISO 8601 UTC as invalid_payload', async () => {
    const now = realNow();
    const fields = signed(notification(now, { Timestamp: String(secondsFromNow(0).getTime()) }));
    expect(await verifyMessage(fields, { now })).toMatchObject({ ok: false, reason: 'invalid_payload' });
  });
});
