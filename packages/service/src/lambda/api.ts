/** Lambda entrypoint of the HTTP API (API Gateway HTTP API, payload format 2.0). */
import type { ResolvedProviderProfile } from '@downloader/callback-core';
import type { Hono } from 'hono';
import { AWS_ENV, optional, positiveInteger } from '../adapters/aws/awsSettings.js';
import { createApp } from '../http/createApp.js';
import { createSnsCertificateFetcher } from '../http/createSnsCertificateFetcher.js';
import { toLambdaHandler } from '../http/lambdaHandler.js';
import { awsDependencies } from './awsDependencies.js';
import { recordCallbackRejected } from './observability/outcomeMetrics.js';
import { logger, metrics } from './observability/powertools.js';
import { withObservability } from './observability/withObservability.js';

type LambdaHandler = ReturnType<typeof toLambdaHandler>;

const MIB = 1024 * 1024;
// Kept across invocations of this Lambda instance: SNS certificates are fetched once.
const snsCertificateFetcher = createSnsCertificateFetcher();
let current: { profiles: ReadonlyMap<string, ResolvedProviderProfile>; handle: LambdaHandler } | undefined;

/** The app over the AWS adapters; rebuilt only when the provider profiles were reloaded. */
async function appHandler(): Promise<LambdaHandler> {
  const deps = awsDependencies();
  const profiles = await deps.profiles();
  if (current?.profiles !== profiles) {
    const env = deps.env;
    const publicBaseUrl = optional(env, AWS_ENV.publicBaseUrl);
    const app: Hono = createApp({
      store: await deps.store(),
      engine: await deps.engine(),
      providers: profiles,
      workflow: {
        callbackTimeoutSeconds: positiveInteger(env, AWS_ENV.callbackTimeoutSeconds, 7 * 86_400),
        maxConcurrency: positiveInteger(env, AWS_ENV.maxConcurrency, 8),
        largeFileThreshold: positiveInteger(env, AWS_ENV.largeFileThreshold, 512 * MIB),
      },
      snsCertificateFetcher,
      logger: {
        info: (message, fields) => logger.info(message, { ...fields }),
        warn: (message, fields) => logger.warn(message, { ...fields }),
        error: (message, fields) => logger.error(message, { ...fields }),
      },
      onCallbackRefused: (code) => recordCallbackRejected(metrics, code),
      ...(publicBaseUrl === undefined ? {} : { publicBaseUrl }),
    });
    current = { profiles, handle: toLambdaHandler(app) };
  }
  return current.handle;
}

/** API Gateway → Hono, with JSON logs and the rejection metrics of the invocation published. */
export const handler: LambdaHandler = (async (...args: Parameters<LambdaHandler>) =>
  withObservability('Api', undefined, async () => (await appHandler())(...args))) as LambdaHandler;
