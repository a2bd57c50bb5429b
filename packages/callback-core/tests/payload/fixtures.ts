import { parseProviderProfile } from '../../src/profile/parseProviderProfile.js';
import type { ProviderProfile } from '../../src/profile/types.js';

const SHA256_EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const HASHES = { sha256: SHA256_EMPTY, md5: 'd41d8cd98f00b204e9800998ecf8427e', crc32c: '00000000' };

/** A parsed profile for payload tests; `overrides` replaces top-level fields of the raw config. */
export function profileWith(overrides: Record<string, unknown> = {}): ProviderProfile {
  return parseProviderProfile({
    id: 'acme',
    signature: { scheme: 'github', secrets: [{ value: 'gh-secret' }] },
    files: { source: 'inline' },
    urlPolicy: { allowedHosts: ['*.acme-cdn.example'] },
    ...overrides,
  });
}

export const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
