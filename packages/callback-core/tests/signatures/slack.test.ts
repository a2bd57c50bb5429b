import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signSlack } from '../../src/signatures/signSlack.js';
import type { SlackSchemeConfig } from '../../src/signatures/types.js';
import { verifySignature } from '../../src/signatures/verifySignature.js';
import { describeSchemeNegatives } from '../helpers/schemeNegativeCases.js';
import { NOW } from '../helpers/signatureRequests.js';

const BODY = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweather';
const SECONDS = String(NOW.getTime() / 1000);

function configOf(secrets: SlackSchemeConfig['secrets']): SlackSchemeConfig {
  return { scheme: 'slack', secrets };
}

describe('Slack', () => {
  it('accepts v0=HMAC-SHA256("v0:<ts>:<body>") computed independently with node:crypto', async () => {
    const digest = createHmac('sha256', 'slack-signing-secret').update(`v0:${SECONDS}:${BODY}`).digest('hex');
    const result = await verifySignature(configOf([{ value: 'slack-signing-secret' }]), {
      headers: { 'X-Slack-Signature': `v0=${digest}`, 'X-Slack-Request-Timestamp': SECONDS },
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(result).toEqual({ ok: true, scheme: 'slack', timestamp: NOW });
  });

  it('rejects a timestamp with a fraction as malformed_header', async () => {
    const headers = {
      ...signSlack({ body: BODY, secret: 's', timestamp: NOW }),
      'x-slack-request-timestamp': `${SECONDS}.0`,
    };
    const result = await verifySignature(configOf([{ value: 's' }]), {
      headers,
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false, reason: 'malformed_header' });
  });

  it('rejects a signature whose timestamp header was changed as bad_signature', async () => {
    const signed = signSlack({ body: BODY, secret: 's', timestamp: NOW });
    const headers = { ...signed, 'x-slack-request-timestamp': String(Number(SECONDS) - 1) };
    const result = await verifySignature(configOf([{ value: 's' }]), {
      headers,
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });
});

describeSchemeNegatives({
  label: 'slack',
  config: (secrets) => configOf(secrets),
  secret: 'slack-secret-one',
  otherSecret: 'slack-secret-two',
  sign: ({ body, secret, at }) => signSlack({ body, secret, timestamp: at }),
  signatureHeader: 'x-slack-signature',
  timestampHeader: 'x-slack-request-timestamp',
  timestamped: true,
});
