import { sign as octokitSign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { signGitHub } from '../../src/signatures/signGitHub.js';
import type { GitHubSchemeConfig } from '../../src/signatures/types.js';
import { verifySignature } from '../../src/signatures/verifySignature.js';
import { describeSchemeNegatives } from '../helpers/schemeNegativeCases.js';
import { NOW } from '../helpers/signatureRequests.js';

// GitHub's documented example from "Validating webhook deliveries".
const DOCS_SECRET = "It's a Secret to Everybody";
const DOCS_PAYLOAD = 'Hello, World!';
const DOCS_SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

const BODY = '{"action":"completed","workflow_run":{"id":1}}';

function configOf(secrets: GitHubSchemeConfig['secrets']): GitHubSchemeConfig {
  return { scheme: 'github', secrets };
}

describe('GitHub', () => {
  it('accepts the documented example and reports the delivery id', async () => {
    const result = await verifySignature(configOf([{ id: 'gh', value: DOCS_SECRET }]), {
      headers: {
        'X-Hub-Signature-256': DOCS_SIGNATURE,
        'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      },
      body: Buffer.from(DOCS_PAYLOAD),
      now: NOW,
    });
    expect(result).toEqual({
      ok: true,
      scheme: 'github',
      eventId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      secretId: 'gh',
    });
  });

  it('our signer reproduces the documented signature', () => {
    expect(signGitHub({ body: DOCS_PAYLOAD, secret: DOCS_SECRET })).toEqual({
      'x-hub-signature-256': DOCS_SIGNATURE,
    });
  });

  it('accepts what @octokit/webhooks-methods signs', async () => {
    const signature = await octokitSign('octokit-secret', BODY);
    const result = await verifySignature(configOf([{ value: 'octokit-secret' }]), {
      headers: { 'x-hub-signature-256': signature },
      body: Buffer.from(BODY),
      now: NOW,
    });
    expect(result).toEqual({ ok: true, scheme: 'github' });
  });

  it.each([
    ['the legacy sha1= prefix', `sha1=${'a'.repeat(40)}`],
    ['an upper-case prefix', DOCS_SIGNATURE.replace('sha256=', 'SHA256=')],
    ['no prefix', DOCS_SIGNATURE.slice('sha256='.length)],
    ['two signatures', `${DOCS_SIGNATURE},${DOCS_SIGNATURE}`],
    ['odd-length hex', `${DOCS_SIGNATURE}0`],
  ])('rejects a signature header with %s as malformed_header', async (_label, header) => {
    const result = await verifySignature(configOf([{ value: DOCS_SECRET }]), {
      headers: { 'x-hub-signature-256': header },
      body: Buffer.from(DOCS_PAYLOAD),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false, reason: 'malformed_header' });
  });

  it('rejects a truncated digest as bad_signature', async () => {
    const result = await verifySignature(configOf([{ value: DOCS_SECRET }]), {
      headers: { 'x-hub-signature-256': DOCS_SIGNATURE.slice(0, -2) },
      body: Buffer.from(DOCS_PAYLOAD),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a duplicated X-GitHub-Delivery as malformed_header', async () => {
    const result = await verifySignature(configOf([{ value: DOCS_SECRET }]), {
      headers: { 'x-hub-signature-256': DOCS_SIGNATURE, 'x-github-delivery': ['a', 'b'] },
      body: Buffer.from(DOCS_PAYLOAD),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false, reason: 'malformed_header' });
  });
});

describeSchemeNegatives({
  label: 'github',
  config: (secrets) => configOf(secrets),
  secret: 'github-secret-one',
  otherSecret: 'github-secret-two',
  sign: ({ body, secret }) => signGitHub({ body, secret, deliveryId: 'd-1' }),
  signatureHeader: 'x-hub-signature-256',
  timestamped: false,
});
