/** Provider profiles from the environment, with signing secrets read from Secrets Manager. */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  InvalidProfileError,
  MissingSecretError,
  parseProviderProfile,
  type ResolvedProviderProfile,
  resolveSecrets,
} from '@downloader/callback-core';
import { AwsSettingsError } from '../AwsSettingsError.js';
import { AWS_ENV, json } from '../awsSettings.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses `DOWNLOADER_PROVIDERS` (a JSON array of profiles as in the config file), reads the value
 * of every secret named in `DOWNLOADER_PROVIDER_SECRET_ARNS` (`{ "ENV_NAME": "arn:…" }`) and
 * resolves each profile's `{ "env": "ENV_NAME" }` references with them.
 *
 * @throws {@link AwsSettingsError} naming the profile and path of every problem (never a secret value)
 */
export async function loadProviderProfiles(
  env: Env,
  secrets: SecretsManagerClient,
): Promise<Map<string, ResolvedProviderProfile>> {
  const profiles = json(env, AWS_ENV.providers, []);
  const arns = json(env, AWS_ENV.providerSecretArns, {});
  if (!Array.isArray(profiles))
    throw new AwsSettingsError(`${AWS_ENV.providers} must be a JSON array of profiles.`);
  if (arns === null || typeof arns !== 'object' || Array.isArray(arns)) {
    throw new AwsSettingsError(`${AWS_ENV.providerSecretArns} must be a JSON object of secret ARNs.`);
  }
  const values: Record<string, string> = {};
  await Promise.all(
    Object.entries(arns as Record<string, unknown>).map(async ([name, arn]) => {
      if (typeof arn !== 'string') throw new AwsSettingsError(`Secret ARN of ${name} is not a string.`);
      const result = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
      if (result.SecretString !== undefined) values[name] = result.SecretString;
    }),
  );
  const resolved = new Map<string, ResolvedProviderProfile>();
  for (const [position, input] of profiles.entries()) {
    try {
      const profile = resolveSecrets(parseProviderProfile(input), values);
      resolved.set(profile.id, profile);
    } catch (error) {
      if (error instanceof InvalidProfileError) {
        const detail = error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
        throw new AwsSettingsError(`Provider profile #${position} is invalid: ${detail}`, { cause: error });
      }
      if (error instanceof MissingSecretError) {
        throw new AwsSettingsError(
          `Provider profile #${position} names secrets whose value is empty in Secrets Manager: ${error.message}`,
          { cause: error },
        );
      }
      throw error;
    }
  }
  return resolved;
}
