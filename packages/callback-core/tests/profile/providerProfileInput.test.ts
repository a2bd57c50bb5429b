/**
 * `ProviderProfileInput` is the schema's own input type: a profile written in TypeScript is checked
 * at compile time (the `@ts-expect-error` lines fail the type check if a mistake stops being one).
 */
import { describe, expect, it } from 'vitest';
import { type ProviderProfileInput, parseProviderProfile } from '../../src/index.js';

describe('ProviderProfileInput', () => {
  it('types a profile with secret references that parseProviderProfile accepts', () => {
    // Prepare
    const profile: ProviderProfileInput = {
      id: 'acme',
      signature: { scheme: 'standard-webhooks', secrets: [{ id: 'k1', value: { env: 'ACME_SECRET' } }] },
      files: { source: 'manifest', urlField: 'manifestUrl' },
      urlPolicy: { allowedHosts: ['files.acme.example'] },
    };

    // Act
    const parsed = parseProviderProfile(profile);

    // Assess
    expect(parsed.signature.scheme).toBe('standard-webhooks');
    expect(parsed.files.source).toBe('manifest');
  });

  it('refuses at compile time a misspelt scheme, an unknown field and a wrong option type', () => {
    const misspelt: ProviderProfileInput = {
      id: 'acme',
      // @ts-expect-error: 'standard-webhook' is not a scheme
      signature: { scheme: 'standard-webhook', secrets: [{ id: 'k1', value: 'whsec_x' }] },
      files: { source: 'inline' },
    };
    const unknownField: ProviderProfileInput = {
      id: 'acme',
      signature: { scheme: 'github', secrets: [{ id: 'k1', value: { env: 'GH' } }] },
      files: { source: 'inline' },
      // @ts-expect-error: no such field
      maxBodySize: 10,
    };
    const wrongType: ProviderProfileInput = {
      id: 'acme',
      signature: { scheme: 'github', secrets: [{ id: 'k1', value: { env: 'GH' } }] },
      files: { source: 'inline' },
      // @ts-expect-error: a number is expected
      maxBodyBytes: '1 MiB',
    };
    // The same mistakes are refused at run time too.
    for (const input of [misspelt, unknownField, wrongType])
      expect(() => parseProviderProfile(input)).toThrow();
  });
});
