import { parseProviderProfile, resolveSecrets, signSns } from '@downloader/callback-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/createApp.js';
import { silentLogger } from '../../src/http/logger.js';
import { type RunningHttpServer, startHttpServer } from '../../src/http/startHttpServer.js';
import { InMemoryDeliveryStore } from './helpers/InMemoryDeliveryStore.js';
import { RecordingEngine } from './helpers/RecordingEngine.js';
import { type SelfSignedCertificate, selfSignedCertificate } from './helpers/selfSignedCertificate.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:vendor-deliveries';
const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem';

let certificate: SelfSignedCertificate;
let server: RunningHttpServer;
let store: InMemoryDeliveryStore;
let engine: RecordingEngine;
const certificateFetches: string[] = [];

beforeAll(async () => {
  certificate = await selfSignedCertificate();
  const profile = resolveSecrets(
    parseProviderProfile({
      id: 'vendor-sns',
      signature: { scheme: 'sns', topicArns: [TOPIC] },
      files: { source: 'inline' },
      urlPolicy: { allowedHosts: ['data.vendor.example'] },
    }),
    {},
  );
  store = new InMemoryDeliveryStore();
  engine = new RecordingEngine();
  server = await startHttpServer(
    createApp({
      store,
      engine,
      providers: new Map([[profile.id, profile]]),
      workflow: { callbackTimeoutSeconds: 3600, maxConcurrency: 4, largeFileThreshold: 1024 * 1024 },
      logger: silentLogger,
      // The certificate host is SNS's; here the fetch answers with the test certificate.
      snsCertificateFetcher: async (url) => {
        certificateFetches.push(url.href);
        return certificate.certificatePem;
      },
    }),
  );
});

afterAll(async () => {
  await server.close();
});

async function register(): Promise<{ id: string; callbackUrl: string }> {
  const res = await fetch(`${server.url}/deliveries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'vendor-sns' }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { id: string; callbackUrl: string };
  await store.putTaskToken(body.id, `token-${body.id}`);
  engine.waiting.add(`token-${body.id}`);
  return body;
}

function snsPost(
  url: string,
  type: 'Notification' | 'SubscriptionConfirmation',
  extra: Record<string, string>,
) {
  const envelope = signSns(
    {
      Type: type,
      MessageId: `m-${Math.random().toString(36).slice(2)}`,
      TopicArn: TOPIC,
      Timestamp: new Date().toISOString(),
      Message: '',
      ...extra,
    },
    { privateKey: certificate.privateKey, signingCertUrl: CERT_URL },
  );
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': type },
    body: JSON.stringify(envelope),
  });
}

describe('POST /callbacks/{id} from an SNS provider', () => {
  it('takes the file list from the verified Message inside the envelope and answers 202', async () => {
    // Prepare
    const { id, callbackUrl } = await register();
    const message = JSON.stringify({ files: ['https://data.vendor.example/run-7/a.bin'] });

    // Act
    const res = await snsPost(callbackUrl, 'Notification', { Message: message });

    // Assess
    expect(res.status).toBe(202);
    expect(await store.getCallback(id)).toEqual({
      source: { kind: 'files', files: [{ url: 'https://data.vendor.example/run-7/a.bin', name: 'a.bin' }] },
    });
    expect(engine.successes).toContainEqual({ token: `token-${id}`, output: { deliveryId: id } });
    expect(certificateFetches).toContain(CERT_URL);
  });

  it('answers a SubscriptionConfirmation with 200 and the URL to visit, visits nothing and changes nothing', async () => {
    // Prepare
    const { id, callbackUrl } = await register();
    const before = structuredClone(await store.get(id));
    const subscribeUrl = `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=abc`;
    const fetchesBefore = certificateFetches.length;

    // Act
    const res = await snsPost(callbackUrl, 'SubscriptionConfirmation', {
      Message: 'You have chosen to subscribe to the topic.',
      SubscribeURL: subscribeUrl,
      Token: 'abc',
    });

    // Assess
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id, status: 'awaiting_callback', snsSubscribeUrl: subscribeUrl });
    expect(String(body.message)).toContain('snsSubscribeUrl');
    // The only outbound request the app can make for SNS is the certificate fetch.
    expect(certificateFetches.slice(fetchesBefore).every((url) => url === CERT_URL)).toBe(true);
    expect(await store.get(id)).toEqual(before);
    expect(await store.getCallback(id)).toBeUndefined();
    expect(engine.successes.some((s) => s.token === `token-${id}`)).toBe(false);
  });
});
