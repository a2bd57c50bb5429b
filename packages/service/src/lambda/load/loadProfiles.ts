/** Provider profiles with secrets from Secrets Manager (loaded on first use). */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ResolvedProviderProfile } from '@downloader/callback-core';
import { AWS_ENV } from '../../adapters/aws/awsSettings.js';
import { loadProviderProfiles } from '../../adapters/aws/providers/loadProviderProfiles.js';
import { traced } from '../observability/traced.js';
import { endpoint } from './clientOptions.js';

let client: SecretsManagerClient | undefined;

export function loadProfiles(
  env: Readonly<Record<string, string | undefined>>,
): Promise<Map<string, ResolvedProviderProfile>> {
  client ??= traced(new SecretsManagerClient({ ...endpoint(env, AWS_ENV.secretsEndpoint) }));
  return loadProviderProfiles(env, client);
}
