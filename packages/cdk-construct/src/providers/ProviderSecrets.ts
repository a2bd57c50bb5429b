/** Secrets Manager secrets behind the `{ "env": "NAME" }` references of provider profiles. */
import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { InvalidProfileError } from '../../../callback-core/src/errors.js';
import { parseProviderProfile } from '../../../callback-core/src/profile/parseProviderProfile.js';
import type { ProviderDefinition } from '../CallbackDownloaderProps.js';
import { CallbackDownloaderError } from '../errors.js';
import { acknowledge } from '../nag/acknowledge.js';

/** Lambda environment variables carrying the providers (read by the service's AWS entrypoints). */
export const PROVIDER_ENV = {
  profiles: 'DOWNLOADER_PROVIDERS',
  secretArns: 'DOWNLOADER_PROVIDER_SECRET_ARNS',
} as const;

/** Lambda's limit on all environment variables of a function together is 4 KiB; leave room for the rest. */
const MAX_PROFILES_JSON_BYTES = 3072;

function isSecretRef(value: unknown): value is { readonly env: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { readonly env?: unknown }).env === 'string'
  );
}

/**
 * Validates a profile with callback-core's own parser (bundled into this package), so a bad
 * profile stops `cdk synth` instead of every function's cold start after the deploy.
 */
function assertValidProfile(provider: ProviderDefinition): void {
  try {
    parseProviderProfile(provider.profile);
  } catch (error) {
    if (!(error instanceof InvalidProfileError)) throw error;
    const issues = error.issues.map(
      (issue) => `${issue.path === '' ? '(profile)' : issue.path}: ${issue.message}`,
    );
    throw new CallbackDownloaderError(
      'INVALID_PROPS',
      `CallbackDownloader: provider "${provider.profile.id}" has an invalid profile — ${issues.join('; ')}`,
      { cause: error },
    );
  }
}

/** Every `{ "env": "NAME" }` name in a profile, in document order. */
export function secretRefNames(value: unknown): string[] {
  if (isSecretRef(value)) return [value.env];
  if (Array.isArray(value)) return value.flatMap((item: unknown) => secretRefNames(item));
  if (typeof value === 'object' && value !== null) {
    return Object.values(value).flatMap((item) => secretRefNames(item));
  }
  return [];
}

/** The secrets of all providers (given or new) and the environment that hands them to the functions. */
export class ProviderSecrets extends Construct {
  /** Secret per referenced name. */
  readonly secrets: ReadonlyMap<string, secretsmanager.ISecret>;
  /** Secrets this construct created (their values must be set to the providers' real secrets). */
  readonly created: readonly secretsmanager.Secret[];
  private readonly profilesJson: string;

  constructor(
    scope: Construct,
    id: string,
    providers: readonly ProviderDefinition[],
    removalPolicy: RemovalPolicy = RemovalPolicy.RETAIN,
  ) {
    super(scope, id);
    const secrets = new Map<string, secretsmanager.ISecret>();
    const created: secretsmanager.Secret[] = [];
    const ids = new Set<string>();
    for (const provider of providers) {
      if (ids.has(provider.profile.id)) {
        throw new CallbackDownloaderError(
          'INVALID_PROPS',
          `CallbackDownloader: two providers have the id "${provider.profile.id}"; ids must be unique.`,
        );
      }
      ids.add(provider.profile.id);
      assertValidProfile(provider);
      for (const name of secretRefNames(provider.profile)) {
        if (secrets.has(name)) continue;
        const given = provider.secrets?.[name];
        if (given !== undefined) {
          secrets.set(name, given);
          continue;
        }
        const secret = new secretsmanager.Secret(this, name, {
          description: `downloader: signing secret ${name} of provider ${provider.profile.id} (set it to the provider's value)`,
          // A random placeholder: callbacks are refused until the provider's value is put.
          generateSecretString: { passwordLength: 32, excludePunctuation: true },
          // The provider's value lives only here: a stack update or delete must not lose it.
          removalPolicy,
        });
        new CfnOutput(this, `${name}Secret`, {
          description:
            `Secret ${name} of provider ${provider.profile.id}: set it to the provider's signing secret with ` +
            '`aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string <value>`',
          value: secret.secretArn,
        });
        acknowledge(
          secret,
          'SMG4',
          'A provider signing secret is issued by the provider, so rotation is a change at the provider: ' +
            'profiles accept several active secrets, so the new value is added before the old one is removed.',
        );
        secrets.set(name, secret);
        created.push(secret);
      }
    }
    this.secrets = secrets;
    this.created = created;
    this.profilesJson = JSON.stringify(providers.map((provider) => provider.profile));
    if (Buffer.byteLength(this.profilesJson) > MAX_PROFILES_JSON_BYTES) {
      throw new CallbackDownloaderError(
        'INVALID_PROPS',
        `CallbackDownloader: the provider profiles take ${Buffer.byteLength(this.profilesJson)} bytes as JSON; ` +
          `at most ${MAX_PROFILES_JSON_BYTES} fit in the functions' environment. Shorten them (drop defaults).`,
      );
    }
  }

  /** Environment variables with the profiles and the secret ARN per referenced name. */
  environment(): { readonly [key: string]: string } {
    const arns: Record<string, string> = {};
    for (const [name, secret] of this.secrets) arns[name] = secret.secretArn;
    return {
      [PROVIDER_ENV.profiles]: this.profilesJson,
      [PROVIDER_ENV.secretArns]: Stack.of(this).toJsonString(arns),
    };
  }

  /** Lets `grantee` read the secret values (and nothing else). */
  grantRead(grantee: iam.IGrantable): void {
    if (this.secrets.size === 0) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [...this.secrets.values()].map((secret) => secret.secretArn),
      }),
    );
  }
}
