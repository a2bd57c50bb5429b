/** A provider profile for tests: unsigned, files inline in the callback (or via a manifest), loopback origin allowed. */
import { type PayloadProfile, parseProviderProfile } from '@downloader/callback-core';

export function demoProfile(originPort: number, files: 'inline' | 'manifest' = 'inline'): PayloadProfile {
  return parseProviderProfile({
    id: 'demo',
    signature: { scheme: 'none', requireCapabilityUrl: true },
    capabilityUrl: true,
    files: files === 'inline' ? { source: 'inline' } : { source: 'manifest', urlField: 'manifest' },
    urlPolicy: { allowHttp: true, loopbackException: { host: '127.0.0.1', port: originPort } },
  });
}
