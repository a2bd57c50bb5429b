/**
 * The service's CloudWatch metrics. Metrics with a dimension of their own (outcome, reason,
 * action) are emitted at once as single-metric records; plain ones are stored on `metrics` and
 * go out with the invocation's `publishStoredMetrics()` (see `withObservability`).
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type DeliveryStatus, isTerminalStatus } from '../../domain/delivery.js';
import { DIMENSIONS, METRICS } from './metricNames.js';

/** What the outcome metrics need of a delivery. */
export interface DeliveryFigures {
  readonly status: DeliveryStatus;
  /** ISO-8601. */
  readonly createdAt: string;
  /** ISO-8601 time the callback was accepted, when there was one. */
  readonly callbackReceivedAt?: string;
  readonly filesFailed: number;
  readonly bytesDelivered: number;
}

/**
 * `DeliveryOutcome` (dimension `Outcome` = the terminal status) and the delivery's failed files,
 * bytes and duration. A retried task may emit twice; the alarms fire on at least one, so a double
 * count neither hides nor invents an alarm. Nothing for a status that is not terminal.
 */
export function recordDeliveryOutcome(metrics: Metrics, figures: DeliveryFigures, now: Date): void {
  if (!isTerminalStatus(figures.status)) return;
  metrics
    .singleMetric()
    .addDimension(DIMENSIONS.outcome, figures.status)
    .addMetric(METRICS.deliveryOutcome, MetricUnit.Count, 1);
  const started = Date.parse(figures.callbackReceivedAt ?? figures.createdAt);
  metrics.addMetric(METRICS.filesFailed, MetricUnit.Count, figures.filesFailed);
  metrics.addMetric(METRICS.bytesDelivered, MetricUnit.Bytes, figures.bytesDelivered);
  metrics.addMetric(
    METRICS.deliveryDuration,
    MetricUnit.Seconds,
    Math.max(0, (now.getTime() - started) / 1000),
  );
}

/** One refused callback: a 4xx answer with its stable reason code (`bad_signature`, `stale`, …). */
export function recordCallbackRejected(metrics: Metrics, reason: string): void {
  metrics.addMetric(METRICS.callbacksRejected, MetricUnit.Count, 1);
  metrics
    .singleMetric()
    .addDimension(DIMENSIONS.reason, reason)
    .addMetric(METRICS.callbackRejections, MetricUnit.Count, 1);
}

/** One stuck delivery the reconciler acted on (`resent`, `failed`, `timed_out`). */
export function recordStalledDelivery(metrics: Metrics, action: string): void {
  metrics
    .singleMetric()
    .addDimension(DIMENSIONS.action, action)
    .addMetric(METRICS.stalledDeliveries, MetricUnit.Count, 1);
}
