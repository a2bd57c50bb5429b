/** Alarms on failed or timed-out executions and on failed Batch jobs. */
import { Duration } from 'aws-cdk-lib';
import type * as batch from 'aws-cdk-lib/aws-batch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** Inputs of {@link DeliveryAlarms}. */
export interface DeliveryAlarmsProps {
  readonly stateMachine: sfn.IStateMachine;
  readonly jobQueue: batch.IJobQueue;
  readonly alarmTopic?: sns.ITopic;
}

/** One alarm per way a delivery can break without a person noticing. */
export class DeliveryAlarms extends Construct {
  readonly executionsFailed: cloudwatch.Alarm;
  readonly executionsTimedOut: cloudwatch.Alarm;
  readonly batchJobsFailed: cloudwatch.Alarm;
  /** Matches "Batch Job State Change" events of the queue with status FAILED (counted by the alarm). */
  readonly batchJobFailedRule: events.Rule;

  constructor(scope: Construct, id: string, props: DeliveryAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    this.executionsFailed = props.stateMachine
      .metricFailed({ period, statistic: 'Sum' })
      .createAlarm(this, 'ExecutionsFailed', {
        alarmDescription: 'A delivery execution failed (see the state machine logs for the delivery id).',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.executionsTimedOut = props.stateMachine
      .metricTimedOut({ period, statistic: 'Sum' })
      .createAlarm(this, 'ExecutionsTimedOut', {
        alarmDescription: 'A delivery execution hit its overall timeout.',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    // AWS Batch publishes no job-failure metric; a rule on its state-change events gives one.
    this.batchJobFailedRule = new events.Rule(this, 'BatchJobFailed', {
      description: 'downloader: a large-file job failed for good (all attempts used)',
      eventPattern: {
        source: ['aws.batch'],
        detailType: ['Batch Job State Change'],
        detail: { status: ['FAILED'], jobQueue: [props.jobQueue.jobQueueArn] },
      },
    });
    this.batchJobsFailed = new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'MatchedEvents',
      dimensionsMap: { RuleName: this.batchJobFailedRule.ruleName },
      period,
      statistic: 'Sum',
    }).createAlarm(this, 'BatchJobsFailed', {
      alarmDescription: 'A batch-runner job failed after all its attempts.',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic !== undefined) {
      const action = new SnsAction(props.alarmTopic);
      for (const alarm of [this.executionsFailed, this.executionsTimedOut, this.batchJobsFailed]) {
        alarm.addAlarmAction(action);
      }
    }
  }
}
