/**
 * The AWS adapters every entrypoint runs on, built once per container (Lambda reuses it across
 * invocations) from the environment the CDK construct sets.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ResolvedProviderProfile } from '@downloader/callback-core';
import { AWS_ENV, optional, required } from '../adapters/aws/awsSettings.js';
import { DynamoDbDeliveryStore } from '../adapters/aws/dynamodb/DynamoDbDeliveryStore.js';
import { loadProviderProfiles } from '../adapters/aws/providers/loadProviderProfiles.js';
import { S3ObjectStore } from '../adapters/aws/s3/S3ObjectStore.js';
import { StepFunctionsEngine } from '../adapters/aws/sfn/StepFunctionsEngine.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Rotated provider secrets are picked up within this time without a redeploy. */
const PROFILES_MAX_AGE_MS = 5 * 60_000;

/** Clients and adapters shared by the handlers of one container. */
export interface AwsDependencies {
  readonly env: Env;
  readonly store: DynamoDbDeliveryStore;
  readonly objects: S3ObjectStore;
  readonly s3: S3Client;
  readonly events: EventBridgeClient;
  /** The engine; starting executions needs `DOWNLOADER_STATE_MACHINE_ARN` (the API has it). */
  engine(): StepFunctionsEngine;
  /** Provider profiles with secrets, cached for a few minutes. */
  profiles(): Promise<ReadonlyMap<string, ResolvedProviderProfile>>;
}

function endpoint(env: Env, name: string): { endpoint?: string } {
  const value = optional(env, name);
  return value === undefined ? {} : { endpoint: value };
}

function stateMachine(env: Env): { stateMachineArn?: string } {
  const value = optional(env, AWS_ENV.stateMachineArn);
  return value === undefined ? {} : { stateMachineArn: value };
}

/** Builds the dependencies from `env` (normally `process.env`). */
export function createAwsDependencies(env: Env): AwsDependencies {
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...endpoint(env, AWS_ENV.dynamodbEndpoint) }),
    {
      marshallOptions: { removeUndefinedValues: true },
    },
  );
  const s3Endpoint = optional(env, AWS_ENV.s3Endpoint);
  const s3 = new S3Client({
    ...(s3Endpoint === undefined ? {} : { endpoint: s3Endpoint, forcePathStyle: true }),
    // S3-compatible emulators store aws-chunked framing verbatim otherwise; AWS accepts both.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const secrets = new SecretsManagerClient({ ...endpoint(env, AWS_ENV.secretsEndpoint) });
  const events = new EventBridgeClient({ ...endpoint(env, AWS_ENV.eventsEndpoint) });
  const store = new DynamoDbDeliveryStore({ client: dynamo, tableName: required(env, AWS_ENV.table) });
  const objects = new S3ObjectStore({
    client: s3,
    bucket: required(env, AWS_ENV.bucket),
    prefix: optional(env, AWS_ENV.keyPrefix) ?? '',
    ...(s3Endpoint === undefined ? {} : { endpoint: s3Endpoint }),
  });
  let engine: StepFunctionsEngine | undefined;
  let cached: { at: number; profiles: Promise<ReadonlyMap<string, ResolvedProviderProfile>> } | undefined;
  return {
    env,
    store,
    objects,
    s3,
    events,
    engine() {
      engine ??= new StepFunctionsEngine({
        client: new SFNClient({ ...endpoint(env, AWS_ENV.sfnEndpoint) }),
        ...stateMachine(env),
      });
      return engine;
    },
    profiles() {
      if (cached === undefined || Date.now() - cached.at > PROFILES_MAX_AGE_MS) {
        const profiles = loadProviderProfiles(env, secrets);
        // A failed load is not cached: the next invocation tries again.
        profiles.catch(() => {
          if (cached?.profiles === profiles) cached = undefined;
        });
        cached = { at: Date.now(), profiles };
      }
      return cached.profiles;
    },
  };
}

let shared: AwsDependencies | undefined;

/** The container's dependencies (created on first use from `process.env`). */
export function awsDependencies(): AwsDependencies {
  shared ??= createAwsDependencies(process.env);
  return shared;
}
