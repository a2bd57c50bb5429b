import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDuplicate } from '../../src/dedupe/classifyDuplicate.js';
import { type DedupeRecord, dedupeKey } from '../../src/dedupe/dedupeKey.js';
import { InvalidPayloadError } from '../../src/errors.js';
import { parseCallbackPayload, parseVerifiedPayload } from '../../src/payload/extractFileList.js';
import type { FileListRef } from '../../src/payload/types.js';
import { parseProviderProfile } from '../../src/profile/parseProviderProfile.js';
import { resolveSecrets } from '../../src/profile/resolveSecrets.js';
import type { RejectionReason } from '../../src/signatures/rejection.js';
import { signSns } from '../../src/signatures/signSns.js';
import { verifySignature } from '../../src/signatures/verifySignature.js';
import {
  type CertificateServer,
  generateSelfSignedCertificate,
  startCertificateServer,
  type TestCertificate,
} from '../helpers/snsCertificate.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

// The profile as a config file would hold it: the secret is only a reference.
const CONFIG = `{
  "id": "acme-exports",
  "signature": { "scheme": "standard-webhooks", "secrets": [{ "id": "2026-11", "value": { "env": "ACME_SECRET" } }] },
  "files": { "source": "inline", "path": "/data/files" },
  "urlPolicy": { "allowedHosts": ["*.acme-cdn.example"] }
}`;

const profile = resolveSecrets(parseProviderProfile(JSON.parse(CONFIG)), { ACME_SECRET: SECRET });

type Outcome =
  | { status: 202; files: FileListRef }
  | { status: 200; duplicate: true }
  | { status: 401 | 409; reason: RejectionReason | 'conflict' };

/** What the service's callback handler does with these functions, minus storage and HTTP. */
async function handle(
  store: Map<string, DedupeRecord>,
  headers: Record<string, string>,
  body: Uint8Array,
  now: Date,
): Promise<Outcome> {
  const verdict = await verifySignature(profile.signature, { headers, body, now });
  if (!verdict.ok) return { status: 401, reason: verdict.reason };
  const record = dedupeKey({ providerId: profile.id, eventId: verdict.eventId ?? '', body });
  const seen = classifyDuplicate(store.get(record.key), record);
  if (seen === 'duplicate') return { status: 200, duplicate: true };
  if (seen === 'conflict') return { status: 409, reason: 'conflict' };
  const files = parseCallbackPayload(body, profile);
  store.set(record.key, record);
  return { status: 202, files };
}

const payload = (n: number): Uint8Array =>
  new TextEncoder().encode(
    JSON.stringify({
      data: { files: [{ url: `https://eu.acme-cdn.example/x/${n}.csv`, name: 'out.csv', size: n }] },
    }),
  );

describe('a Standard Webhooks callback end to end (signed by the standardwebhooks package)', () => {
  const now = new Date();

  it('verifies, dedupes and normalises; a retry is a duplicate; a reused id with another body is a conflict', async () => {
    // Prepare
    const store = new Map<string, DedupeRecord>();
    const webhook = new StandardWebhook(SECRET);
    const body = payload(1);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': webhook.sign('msg_1', now, new TextDecoder().decode(body)),
    };
    const otherBody = payload(2);
    const reused = {
      ...headers,
      'webhook-signature': webhook.sign('msg_1', now, new TextDecoder().decode(otherBody)),
    };

    // Act
    const first = await handle(store, headers, body, now);
    const retry = await handle(store, headers, body, now);
    const conflict = await handle(store, reused, otherBody, now);

    // Assess
    expect(first).toEqual({
      status: 202,
      files: {
        kind: 'files',
        files: [{ url: 'https://eu.acme-cdn.example/x/1.csv', name: 'out.csv', size: 1 }],
      },
    });
    expect(retry).toEqual({ status: 200, duplicate: true });
    expect(conflict).toEqual({ status: 409, reason: 'conflict' });
    expect([...store.keys()]).toEqual(['acme-exports/msg_1']);
  });

  it('refuses a body with one flipped byte before looking at its file list', async () => {
    const store = new Map<string, DedupeRecord>();
    const body = payload(3);
    const headers = {
      'webhook-id': 'msg_3',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new StandardWebhook(SECRET).sign('msg_3', now, new TextDecoder().decode(body)),
    };
    const tampered = Uint8Array.from(body);
    const at = tampered.length - 5;
    tampered.set([(tampered.at(at) ?? 0) ^ 0x01], at);

    expect(await handle(store, headers, tampered, now)).toEqual({ status: 401, reason: 'bad_signature' });
    expect(store.size).toBe(0);
  });
});

describe('an SNS notification end to end (self-signed certificate through the injected fetcher)', () => {
  const CERT_PATH = '/SimpleNotificationService-callbackflow.pem';
  const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:vendor-deliveries';
  let certificate: TestCertificate;
  let server: CertificateServer;

  beforeAll(async () => {
    certificate = await generateSelfSignedCertificate(2);
    server = await startCertificateServer({ [CERT_PATH]: certificate.certificatePem });
  });

  afterAll(async () => {
    await server.close();
  });

  it('takes the file list from the verified Message inside the envelope, not from the envelope', async () => {
    // Prepare
    const snsProfile = resolveSecrets(
      parseProviderProfile({
        id: 'vendor-sns',
        signature: { scheme: 'sns', topicArns: [TOPIC] },
        files: { source: 'inline' },
        urlPolicy: { allowedHosts: ['data.vendor.example'] },
      }),
      {},
    );
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const envelope = signSns(
      {
        Type: 'Notification',
        MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
        TopicArn: TOPIC,
        Message: JSON.stringify({ files: ['https://data.vendor.example/run-7/a.bin'] }),
        Timestamp: now.toISOString(),
      },
      {
        privateKey: certificate.privateKey,
        signingCertUrl: `https://sns.eu-west-1.amazonaws.com${CERT_PATH}`,
      },
    );
    const body = new TextEncoder().encode(JSON.stringify(envelope));

    // Act
    const verdict = await verifySignature(
      snsProfile.signature,
      { headers: { 'x-amz-sns-message-type': 'Notification' }, body, now },
      { snsCertificateFetcher: server.fetcher },
    );
    const files = verdict.ok ? parseVerifiedPayload(verdict, body, snsProfile) : undefined;

    // Assess
    expect(verdict).toMatchObject({
      ok: true,
      scheme: 'sns',
      eventId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    });
    expect(files).toEqual({
      kind: 'files',
      files: [{ url: 'https://data.vendor.example/run-7/a.bin', name: 'a.bin' }],
    });
    // The envelope itself has no file list: parsing the raw body is the mistake this avoids.
    expect(() => parseCallbackPayload(body, snsProfile)).toThrow(InvalidPayloadError);
  });
});
