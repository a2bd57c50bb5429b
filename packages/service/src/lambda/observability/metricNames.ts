/**
 * Names of the CloudWatch metrics the Lambda functions emit (embedded metric format) and the CDK
 * construct's alarms watch: one table, read by both.
 */
export const METRIC_NAMESPACE_DEFAULT = 'Downloader';

/** Metric names. */
export const METRICS = {
  /** 1 per delivery that reached a terminal status, dimension {@link DIMENSIONS.outcome}. */
  deliveryOutcome: 'DeliveryOutcome',
  /** Files that failed in a delivery that ended. */
  filesFailed: 'FilesFailed',
  /** Bytes stored by a delivery that ended. */
  bytesDelivered: 'BytesDelivered',
  /** Seconds from the accepted callback (or the registration, without one) to the terminal status. */
  deliveryDuration: 'DeliveryDuration',
  /** 1 per refused callback (4xx), without a reason dimension: what the spike alarm sums. */
  callbacksRejected: 'CallbacksRejected',
  /** 1 per refused callback, dimension {@link DIMENSIONS.reason} (`bad_signature`, `stale`, …). */
  callbackRejections: 'CallbackRejections',
  /** 1 per stuck delivery the reconciler acted on, dimension {@link DIMENSIONS.action}. */
  stalledDeliveries: 'StalledDeliveries',
} as const;

/** Dimension names (besides Powertools' own `service`). */
export const DIMENSIONS = {
  outcome: 'Outcome',
  reason: 'Reason',
  action: 'Action',
} as const;

/** Powertools' dimension carrying the service name: every metric has it. */
export const SERVICE_DIMENSION = 'service';

/** Environment variables Powertools reads (the construct sets them on every function). */
export const POWERTOOLS_ENV = {
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  namespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;
