/** The environment the CDK construct gives every function and job, read once at cold start. */
import { AwsSettingsError } from './AwsSettingsError.js';

/** Names of the environment variables (the construct sets the same names). */
export const AWS_ENV = {
  table: 'DOWNLOADER_TABLE',
  bucket: 'DOWNLOADER_BUCKET',
  keyPrefix: 'DOWNLOADER_KEY_PREFIX',
  eventBus: 'DOWNLOADER_EVENT_BUS',
  stateMachineArn: 'DOWNLOADER_STATE_MACHINE_ARN',
  publicBaseUrl: 'DOWNLOADER_PUBLIC_BASE_URL',
  callbackTimeoutSeconds: 'DOWNLOADER_CALLBACK_TIMEOUT_SECONDS',
  maxConcurrency: 'DOWNLOADER_MAX_CONCURRENCY',
  largeFileThreshold: 'DOWNLOADER_LARGE_FILE_THRESHOLD',
  providers: 'DOWNLOADER_PROVIDERS',
  providerSecretArns: 'DOWNLOADER_PROVIDER_SECRET_ARNS',
  /** Reconciler: minutes a delivery may stay unchanged before it counts as stuck. */
  stallAfterMinutes: 'DOWNLOADER_STALL_AFTER_MINUTES',
  /** Reconciler: most deliveries looked at per run. */
  reconcileMaxDeliveries: 'DOWNLOADER_RECONCILE_MAX_DELIVERIES',
  /** Tests and emulators only: endpoints of DynamoDB / S3 / Step Functions / Secrets Manager. */
  dynamodbEndpoint: 'DOWNLOADER_DYNAMODB_ENDPOINT',
  s3Endpoint: 'DOWNLOADER_S3_ENDPOINT',
  sfnEndpoint: 'DOWNLOADER_SFN_ENDPOINT',
  secretsEndpoint: 'DOWNLOADER_SECRETS_ENDPOINT',
  eventsEndpoint: 'DOWNLOADER_EVENTS_ENDPOINT',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** A required variable. */
export function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new AwsSettingsError(
      `${name} is not set; deploy the function with the CallbackDownloader construct.`,
    );
  }
  return value;
}

/** An optional variable ('' counts as unset). */
export function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** A positive integer variable with a default. */
export function positiveInteger(env: Env, name: string, fallback: number): number {
  const text = optional(env, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new AwsSettingsError(`${name} must be a positive integer, got "${text}".`);
  }
  return value;
}

/** A JSON variable (with a default when unset). */
export function json(env: Env, name: string, fallback: unknown): unknown {
  const text = optional(env, name);
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AwsSettingsError(`${name} is not valid JSON.`, { cause: error });
  }
}
