import { describe, expect, it } from 'vitest';
import { InvalidProfileError, MissingSecretError } from '../../src/errors.js';
import { parseProviderProfile } from '../../src/profile/parseProviderProfile.js';
import { requestHeadersFor } from '../../src/profile/requestHeaders.js';
import { resolveSecrets } from '../../src/profile/resolveSecrets.js';

function profile(requestAuth: unknown) {
  return parseProviderProfile({
    id: 'acme',
    signature: { scheme: 'github', secrets: [{ value: 'gh-secret' }] },
    files: { source: 'inline' },
    urlPolicy: { allowedHosts: ['*.acme.example'] },
    requestAuth,
  });
}

describe('requestAuth', () => {
  it('resolves bearer, header and basic credentials from the environment and binds them to their hosts', () => {
    const resolved = resolveSecrets(
      profile([
        { type: 'bearer', hosts: ['api.acme.example'], token: { env: 'TOKEN' } },
        { type: 'header', hosts: ['*.acme.example'], name: 'X-Api-Key', value: { env: 'KEY' } },
        { type: 'basic', hosts: ['files.other.example'], username: 'ops', password: { env: 'PASS' } },
      ]),
      { TOKEN: 't-1', KEY: 'k-1', PASS: 'p-1' },
    );

    expect(requestHeadersFor('https://api.acme.example/v1?x=1', resolved.requestAuth)).toEqual({
      authorization: 'Bearer t-1',
      'x-api-key': 'k-1',
    });
    expect(requestHeadersFor('https://cdn.eu.acme.example/f', resolved.requestAuth)).toEqual({
      'x-api-key': 'k-1',
    });
    expect(requestHeadersFor('https://FILES.other.example./f', resolved.requestAuth)).toEqual({
      authorization: `Basic ${Buffer.from('ops:p-1').toString('base64')}`,
    });
    // The apex of a wildcard, a look-alike host and garbage get nothing.
    expect(requestHeadersFor('https://acme.example/', resolved.requestAuth)).toEqual({});
    expect(requestHeadersFor('https://api.acme.example.evil.test/', resolved.requestAuth)).toEqual({});
    expect(requestHeadersFor('not a url', resolved.requestAuth)).toEqual({});
  });

  it('names every unset variable under requestAuth, never a value', () => {
    const parsed = profile([
      { type: 'bearer', hosts: ['api.acme.example'], token: { env: 'UNSET_ONE' } },
      { type: 'header', hosts: ['api.acme.example'], name: 'X-Key', value: { env: 'UNSET_TWO' } },
    ]);
    let caught: unknown;
    try {
      resolveSecrets(parsed, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MissingSecretError);
    expect(caught).toMatchObject({ path: 'requestAuth', variables: ['UNSET_ONE', 'UNSET_TWO'] });
  });

  it('refuses bad entries with paths and without echoing a credential', () => {
    let caught: unknown;
    try {
      profile([
        { type: 'bearer', hosts: [], token: 'x' },
        { type: 'header', hosts: ['a.acme.example'], name: 'Bad Header', value: { env: 'K' } },
        { type: 'basic', hosts: ['a.acme.example'], username: 'a:b', password: 12345678 },
        { type: 'cookie', hosts: ['a.acme.example'] },
      ]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidProfileError);
    const issues = (caught as InvalidProfileError).issues;
    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([
        'requestAuth[0].hosts',
        'requestAuth[1].name',
        'requestAuth[2].username',
        'requestAuth[2].password',
        'requestAuth[3].type',
      ]),
    );
    expect(JSON.stringify(issues)).not.toContain('12345678');
  });

  it('defaults to none', () => {
    expect(resolveSecrets(profile(undefined), {}).requestAuth).toEqual([]);
  });
});
