/**
 * The Powertools for AWS Lambda utilities every entrypoint shares: JSON logs with the delivery id
 * (Logger) and CloudWatch metrics in the embedded metric format (Metrics). Tracer lives in
 * `traced.ts`, loaded with the SDK clients it wraps, so a handler's module init does not load the
 * X-Ray SDK. Service name and namespace come from the environment the construct sets.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMESPACE_DEFAULT, POWERTOOLS_ENV } from './metricNames.js';

/** The `service` dimension of every metric and key of every log line. */
export const serviceName = process.env[POWERTOOLS_ENV.serviceName] ?? 'downloader';

/** JSON logger of the container. */
export const logger = new Logger({ serviceName });

/** Metrics of the container; each invocation publishes what it stored. */
export const metrics = new Metrics({
  serviceName,
  namespace: process.env[POWERTOOLS_ENV.namespace] ?? METRIC_NAMESPACE_DEFAULT,
  logger,
});
