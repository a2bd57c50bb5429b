/**
 * Alarms: on delivery outcomes (the service's own metrics; every failure is caught inside the
 * workflow, so executions succeed even when deliveries fail), on callback rejection spikes, on
 * stuck deliveries the reconciler had to act on, and on failed executions and Batch jobs.
 */
import { Duration } from 'aws-cdk-lib';
import type * as batch from 'aws-cdk-lib/aws-batch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  DIMENSIONS,
  METRICS,
  SERVICE_DIMENSION,
} from '../../../service/src/lambda/observability/metricNames.js';

/** Where the functions' metrics are (Powertools' namespace and `service` dimension). */
export interface ServiceMetricsLocation {
  readonly namespace: string;
  readonly serviceName: string;
}

/** Inputs of {@link DeliveryAlarms}. */
export interface DeliveryAlarmsProps {
  readonly stateMachine: sfn.IStateMachine;
  readonly jobQueue: batch.IJobQueue;
  readonly metrics: ServiceMetricsLocation;
  /** Refused callbacks in 5 minutes that raise the rejection alarm. */
  readonly rejectionSpikeThreshold: number;
  readonly alarmTopic?: sns.ITopic;
}

const PERIOD = Duration.minutes(5);

/** One alarm per way a delivery can break without a person noticing. */
export class DeliveryAlarms extends Construct {
  /** A delivery ended `failed`. */
  readonly deliveriesFailed: cloudwatch.Alarm;
  /** A delivery ended `partially_failed`. */
  readonly deliveriesPartiallyFailed: cloudwatch.Alarm;
  /** A delivery ended `callback_timed_out`. */
  readonly deliveriesTimedOut: cloudwatch.Alarm;
  /** More refused callbacks than `rejectionSpikeThreshold` in 5 minutes (forgeries, a provider's broken signing). */
  readonly callbackRejectionSpike: cloudwatch.Alarm;
  /** The reconciler found a stuck delivery (re-sent its token, or ended it). */
  readonly stalledDeliveries: cloudwatch.Alarm;
  readonly executionsFailed: cloudwatch.Alarm;
  readonly executionsTimedOut: cloudwatch.Alarm;
  readonly batchJobsFailed: cloudwatch.Alarm;
  /** Matches "Batch Job State Change" events of the queue with status FAILED (counted by the alarm). */
  readonly batchJobFailedRule: events.Rule;

  constructor(scope: Construct, id: string, props: DeliveryAlarmsProps) {
    super(scope, id);
    const metric = (name: string, dimensions: Record<string, string> = {}) =>
      new cloudwatch.Metric({
        namespace: props.metrics.namespace,
        metricName: name,
        dimensionsMap: { [SERVICE_DIMENSION]: props.metrics.serviceName, ...dimensions },
        period: PERIOD,
        statistic: 'Sum',
      });
    const outcome = (status: string) => metric(METRICS.deliveryOutcome, { [DIMENSIONS.outcome]: status });
    const atLeastOne = { threshold: 1, evaluationPeriods: 1 };

    this.deliveriesFailed = alarm(this, 'DeliveriesFailed', outcome('failed'), {
      ...atLeastOne,
      description: 'A delivery failed (no file list, resolution error, or its workflow ended early).',
    });
    this.deliveriesPartiallyFailed = alarm(this, 'DeliveriesPartiallyFailed', outcome('partially_failed'), {
      ...atLeastOne,
      description: 'A delivery ended with some of its files failed (see its _delivery.json).',
    });
    this.deliveriesTimedOut = alarm(this, 'DeliveriesTimedOut', outcome('callback_timed_out'), {
      ...atLeastOne,
      description: 'A delivery got no valid callback before its deadline.',
    });
    this.callbackRejectionSpike = alarm(this, 'CallbackRejectionSpike', metric(METRICS.callbacksRejected), {
      threshold: props.rejectionSpikeThreshold,
      evaluationPeriods: 1,
      description:
        `At least ${props.rejectionSpikeThreshold} callbacks were refused in 5 minutes; the metric ` +
        `${METRICS.callbackRejections} by ${DIMENSIONS.reason} says why.`,
    });
    const stalled = new cloudwatch.MathExpression({
      expression: 'FILL(resent, 0) + FILL(failed, 0) + FILL(timedOut, 0)',
      usingMetrics: {
        resent: metric(METRICS.stalledDeliveries, { [DIMENSIONS.action]: 'resent' }),
        failed: metric(METRICS.stalledDeliveries, { [DIMENSIONS.action]: 'failed' }),
        timedOut: metric(METRICS.stalledDeliveries, { [DIMENSIONS.action]: 'timed_out' }),
      },
      period: PERIOD,
      label: 'Stuck deliveries the reconciler acted on',
    });
    this.stalledDeliveries = alarm(this, 'StalledDeliveries', stalled, {
      ...atLeastOne,
      description:
        'The reconciler found a stuck delivery: it re-sent a lost task token or ended the delivery.',
    });
    this.executionsFailed = alarm(
      this,
      'ExecutionsFailed',
      props.stateMachine.metricFailed({ period: PERIOD, statistic: 'Sum' }),
      {
        ...atLeastOne,
        description: 'A delivery execution failed (see the state machine logs for the delivery id).',
      },
    );
    this.executionsTimedOut = alarm(
      this,
      'ExecutionsTimedOut',
      props.stateMachine.metricTimedOut({ period: PERIOD, statistic: 'Sum' }),
      { ...atLeastOne, description: 'A delivery execution hit its overall timeout.' },
    );
    // AWS Batch publishes no job-failure metric; a rule on its state-change events gives one.
    this.batchJobFailedRule = new events.Rule(this, 'BatchJobFailed', {
      description: 'downloader: a large-file job failed for good (all attempts used)',
      eventPattern: {
        source: ['aws.batch'],
        detailType: ['Batch Job State Change'],
        detail: { status: ['FAILED'], jobQueue: [props.jobQueue.jobQueueArn] },
      },
    });
    this.batchJobsFailed = alarm(
      this,
      'BatchJobsFailed',
      new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'MatchedEvents',
        dimensionsMap: { RuleName: this.batchJobFailedRule.ruleName },
        period: PERIOD,
        statistic: 'Sum',
      }),
      { ...atLeastOne, description: 'A batch-runner job failed after all its attempts.' },
    );
    if (props.alarmTopic !== undefined) {
      const action = new SnsAction(props.alarmTopic);
      for (const each of this.all()) each.addAlarmAction(action);
    }
  }

  /** Every alarm of this construct. */
  all(): cloudwatch.Alarm[] {
    return [
      this.deliveriesFailed,
      this.deliveriesPartiallyFailed,
      this.deliveriesTimedOut,
      this.callbackRejectionSpike,
      this.stalledDeliveries,
      this.executionsFailed,
      this.executionsTimedOut,
      this.batchJobsFailed,
    ];
  }
}

function alarm(
  scope: Construct,
  id: string,
  watched: cloudwatch.IMetric,
  options: { readonly threshold: number; readonly evaluationPeriods: number; readonly description: string },
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    metric: watched,
    alarmDescription: options.description,
    threshold: options.threshold,
    evaluationPeriods: options.evaluationPeriods,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
