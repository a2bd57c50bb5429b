import { describe, expect, it } from 'vitest';
import { InvalidProfileError, MissingSecretError } from '../../src/errors.js';
import { parseProviderProfile } from '../../src/profile/parseProviderProfile.js';
import { resolveSecrets } from '../../src/profile/resolveSecrets.js';
import { signStandardWebhooks } from '../../src/signatures/signStandardWebhooks.js';
import { verifySignature } from '../../src/signatures/verifySignature.js';

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const withRefs = {
  id: 'acme',
  signature: {
    scheme: 'standard-webhooks',
    secrets: [
      { id: 'current', value: { env: 'ACME_SECRET_CURRENT' } },
      { id: 'previous', value: { env: 'ACME_SECRET_PREVIOUS' }, notAfter: '2030-01-01T00:00:00Z' },
    ],
  },
  files: { source: 'inline' },
};

describe('{ env } secret references', () => {
  it('are kept as references by parseProviderProfile (the config holds no secret)', () => {
    const profile = parseProviderProfile(withRefs);
    expect(profile.signature).toMatchObject({
      secrets: [
        { id: 'current', value: { env: 'ACME_SECRET_CURRENT' } },
        {
          id: 'previous',
          value: { env: 'ACME_SECRET_PREVIOUS' },
          notAfter: new Date('2030-01-01T00:00:00Z'),
        },
      ],
    });
  });

  it('are resolved from the environment, and the result verifies a real signature', async () => {
    // Prepare
    const profile = parseProviderProfile(withRefs);
    const resolved = resolveSecrets(profile, {
      ACME_SECRET_CURRENT: WHSEC,
      ACME_SECRET_PREVIOUS: 'whsec_dGhlLW9sZC1zZWNyZXQtMTIzNDU2Nzg=',
    });
    const body = new TextEncoder().encode('{"files":[]}');
    const now = new Date();
    const headers = signStandardWebhooks({ keys: [WHSEC], id: 'msg_1', timestamp: now, body });

    // Act
    const result = await verifySignature(resolved.signature, { headers, body, now });

    // Assess
    expect(resolved.signature).toMatchObject({ toleranceSeconds: 300 });
    expect(result).toMatchObject({ ok: true, eventId: 'msg_1', secretId: 'current' });
  });

  it('name every missing or empty variable', () => {
    const profile = parseProviderProfile(withRefs);
    let caught: unknown;
    try {
      resolveSecrets(profile, { ACME_SECRET_CURRENT: '' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MissingSecretError);
    expect(caught).toMatchObject({
      code: 'MISSING_SECRET',
      variables: ['ACME_SECRET_CURRENT', 'ACME_SECRET_PREVIOUS'],
    });
  });

  it('refuse a resolved value of the wrong format without echoing it', () => {
    const profile = parseProviderProfile(withRefs);
    let caught: unknown;
    try {
      resolveSecrets(profile, { ACME_SECRET_CURRENT: 'plain-text-oops', ACME_SECRET_PREVIOUS: WHSEC });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidProfileError);
    expect((caught as InvalidProfileError).issues[0]?.path).toBe('signature.secrets[0].value');
    expect((caught as InvalidProfileError).message).not.toContain('plain-text-oops');
  });

  it('must name a valid variable', () => {
    expect(() =>
      parseProviderProfile({
        ...withRefs,
        signature: { scheme: 'github', secrets: [{ value: { env: '1-bad name' } }] },
      }),
    ).toThrow(
      expect.objectContaining({
        issues: [expect.objectContaining({ path: 'signature.secrets[0].value.env' })],
      }),
    );
  });

  it('leave inline secrets as they are and copy an explicit profile tolerance into the scheme', () => {
    const profile = parseProviderProfile({
      ...withRefs,
      timestampToleranceSeconds: 90,
      signature: { scheme: 'slack', secrets: [{ value: 'slack-signing-secret' }] },
    });
    const resolved = resolveSecrets(profile, {});
    expect(resolved.signature).toEqual({
      scheme: 'slack',
      secrets: [{ value: 'slack-signing-secret' }],
      toleranceSeconds: 90,
    });
  });

  it('do not add a tolerance to schemes that sign no timestamp', () => {
    const profile = parseProviderProfile({
      ...withRefs,
      signature: { scheme: 'github', secrets: [{ value: 's3cret' }] },
    });
    expect(resolveSecrets(profile, {}).signature).toEqual({
      scheme: 'github',
      secrets: [{ value: 's3cret' }],
    });
  });
});
