/**
 * The providers this deployment accepts callbacks from. Add one entry per provider: the profile
 * is the same as in the local config file; each `{ "env": "NAME" }` secret becomes a Secrets
 * Manager secret (created empty-valued at deploy, set it to the provider's secret afterwards).
 */
import type { ProviderDefinition } from '@downloader/cdk-construct';

export const PROVIDERS: readonly ProviderDefinition[] = [
  {
    profile: {
      id: 'acme',
      signature: {
        scheme: 'standard-webhooks',
        secrets: [{ id: 'current', value: { env: 'ACME_WEBHOOK_SECRET' } }],
      },
      files: { source: 'inline' },
      urlPolicy: { allowedHosts: ['files.acme.example'] },
    },
  },
];
