import { describe, expect, it } from 'vitest';
import { InvalidProfileError } from '../../src/errors.js';
import { parseProviderProfile } from '../../src/profile/parseProviderProfile.js';

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const valid = {
  id: 'acme-exports',
  signature: { scheme: 'standard-webhooks', secrets: [{ id: '2026-11', value: WHSEC }] },
  files: { source: 'inline', path: '/data/files' },
  urlPolicy: { allowedHosts: ['*.acme-cdn.example'] },
};

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseProviderProfile(input);
  } catch (error) {
    if (error instanceof InvalidProfileError) return error.issues.map((i) => ({ ...i }));
    throw error;
  }
  throw new Error('expected InvalidProfileError');
}

describe('parseProviderProfile: valid profiles', () => {
  it('fills in every default', () => {
    // Act
    const profile = parseProviderProfile(valid);

    // Assess
    expect(profile).toEqual({
      id: 'acme-exports',
      signature: { scheme: 'standard-webhooks', secrets: [{ id: '2026-11', value: WHSEC }] },
      capabilityUrl: false,
      timestampToleranceSeconds: 300,
      maxBodyBytes: 1024 * 1024,
      files: { source: 'inline', path: '/data/files' },
      limits: {
        maxFiles: 10_000,
        maxUrlLength: 2048,
        maxNameLength: 1024,
        maxManifestBytes: 16 * 1024 * 1024,
        maxFileBytes: 64 * 1024 ** 3,
        maxDeliveryBytes: 1024 ** 4,
      },
      urlPolicy: { allowHttp: false, allowedHosts: ['*.acme-cdn.example'] },
      requestAuth: [],
    });
  });

  it('accepts the manifest and list-api sources', () => {
    expect(
      parseProviderProfile({ ...valid, files: { source: 'manifest', urlField: 'manifestUrl' } }).files,
    ).toEqual({
      source: 'manifest',
      urlField: 'manifestUrl',
    });
    const listApi = parseProviderProfile({
      ...valid,
      files: {
        source: 'list-api',
        listUrl: 'https://api.acme-cdn.example/projects',
        projectIdField: 'projectId',
      },
    });
    expect(listApi.files).toMatchObject({ source: 'list-api', projectIdField: 'projectId' });
  });

  it('accepts scheme none together with capabilityUrl: true', () => {
    const profile = parseProviderProfile({
      ...valid,
      signature: { scheme: 'none', requireCapabilityUrl: true },
      capabilityUrl: true,
    });
    expect(profile.signature.scheme).toBe('none');
  });

  it('defaults the tolerance to the scheme’s own value or to 3600 for SNS', () => {
    const sns = parseProviderProfile({ ...valid, signature: { scheme: 'sns' } });
    expect(sns.timestampToleranceSeconds).toBe(3600);
    const stripe = parseProviderProfile({
      ...valid,
      signature: { scheme: 'stripe', secrets: [{ value: 'whsec_test' }], toleranceSeconds: 120 },
    });
    expect(stripe.timestampToleranceSeconds).toBe(120);
  });

  it('accepts the local demo’s loopback exception', () => {
    const profile = parseProviderProfile({
      ...valid,
      urlPolicy: { allowHttp: true, loopbackException: { host: '127.0.0.1', port: 4010 } },
    });
    expect(profile.urlPolicy.loopbackException).toEqual({ host: '127.0.0.1', port: 4010 });
  });
});

describe('parseProviderProfile: invalid profiles list every issue with its path', () => {
  it('reports all problems at once, each at its exact path', () => {
    // Prepare
    const input = {
      id: 'Acme Exports',
      signature: { scheme: 'standard-webhooks', secrets: [{ value: WHSEC }, { value: 'not-a-secret' }] },
      maxBodyBytes: -1,
      files: { source: 'manifest' },
      urlPolicy: { allowedHosts: ['*.com', 'ok.example'], allowedPorts: [443, 70000], allowHtp: true },
    };

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues.map((i) => i.path)).toEqual([
      'id',
      'signature.secrets[1].value',
      // the scheme schema's own check over the whole list (key length) also fires
      'signature.secrets',
      'maxBodyBytes',
      'files.urlField',
      'urlPolicy.allowedHosts[0]',
      'urlPolicy.allowedPorts[1]',
      'urlPolicy.allowHtp',
    ]);
  });

  it('never echoes a secret value in an issue', () => {
    const issues = issuesOf({
      ...valid,
      signature: { scheme: 'standard-webhooks', secrets: [{ value: 'sk_live_abc' }] },
    });
    expect(issues[0]?.path).toBe('signature.secrets[0].value');
    expect(JSON.stringify(issues)).not.toContain('sk_live_abc');
  });

  it('refuses scheme none without capabilityUrl', () => {
    expect(issuesOf({ ...valid, signature: { scheme: 'none', requireCapabilityUrl: true } })).toEqual([
      {
        path: 'capabilityUrl',
        message:
          'signature scheme "none" is only allowed with capabilityUrl: true (a callback URL carrying >= 128 random bits)',
      },
    ]);
  });

  it('refuses an unknown scheme and an unknown files source at their discriminator', () => {
    expect(issuesOf({ ...valid, signature: { scheme: 'magic', secrets: [] } }).map((i) => i.path)).toEqual([
      'signature.scheme',
    ]);
    expect(issuesOf({ ...valid, files: { source: 'ftp' } }).map((i) => i.path)).toEqual(['files.source']);
  });

  it('refuses a list API URL that its own URL policy would refuse', () => {
    const issues = issuesOf({
      ...valid,
      files: { source: 'list-api', listUrl: 'http://10.0.0.8/projects', projectIdField: 'projectId' },
    });
    expect(issues.map((i) => i.path)).toEqual(['files.listUrl']);
  });

  it('refuses a path that is neither a JSON pointer nor a dot path', () => {
    expect(
      issuesOf({ ...valid, files: { source: 'inline', path: 'data..files' } }).map((i) => i.path),
    ).toEqual(['files.path']);
    expect(issuesOf({ ...valid, files: { source: 'inline', path: '/data/~2' } }).map((i) => i.path)).toEqual([
      'files.path',
    ]);
  });

  it('refuses a loopback exception for anything but 127.0.0.1 or ::1 with a real port', () => {
    const issues = issuesOf({
      ...valid,
      urlPolicy: { loopbackException: { host: '0.0.0.0', port: 0 } },
    });
    expect(issues.map((i) => i.path)).toEqual([
      'urlPolicy.loopbackException.host',
      'urlPolicy.loopbackException.port',
    ]);
  });

  it('refuses tolerances that disagree', () => {
    const issues = issuesOf({
      ...valid,
      timestampToleranceSeconds: 60,
      signature: { scheme: 'slack', secrets: [{ value: 'slack-secret' }], toleranceSeconds: 600 },
    });
    expect(issues.map((i) => i.path)).toEqual(['timestampToleranceSeconds']);
  });

  it('refuses non-object input with a root issue', () => {
    expect(issuesOf('acme').map((i) => i.path)).toEqual(['']);
    expect(issuesOf(null).map((i) => i.path)).toEqual(['']);
  });

  it('throws an error with a stable code and a message naming the paths', () => {
    expect(() => parseProviderProfile({ ...valid, id: '' })).toThrow(
      expect.objectContaining({ code: 'INVALID_PROFILE', message: expect.stringContaining('id: ') }),
    );
  });
});
