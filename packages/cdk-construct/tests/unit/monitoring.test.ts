/**
 * Failures that alarm: the template has alarms on delivery outcomes, rejection spikes and stuck
 * deliveries, on the very metric names, namespace and `service` dimension the functions emit; and
 * a scheduled reconciler that may do what it must and nothing else.
 */
import { Duration } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS } from '../../../service/src/lambda/observability/metricNames.js';
import { useStubAssets } from '../helpers/stubAssets.js';
import { cleanSynthOutputs, synthesize } from '../helpers/synth.js';
import { actionsOf, policyStatements } from '../helpers/template.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

let template: Template;
let restoreAssets: () => void;

beforeAll(() => {
  restoreAssets = useStubAssets();
  template = synthesize({
    callbackRejectionAlarmThreshold: 7,
    reconcileInterval: Duration.minutes(10),
    stallAfter: Duration.minutes(90),
    metricsNamespace: 'Acme/Downloads',
  }).template;
});
afterAll(() => {
  restoreAssets();
  cleanSynthOutputs();
});

/** The `service` name every function is given (they must all agree, and the alarms with them). */
function serviceNames(): Set<string> {
  const names = new Set<string>();
  for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
    const variables = fn.Properties.Environment.Variables as Record<string, Json>;
    names.add(String(variables.POWERTOOLS_SERVICE_NAME));
    expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe('Acme/Downloads');
  }
  return names;
}

describe('alarms on delivery outcomes', () => {
  it('alarms on at least one failed, partially failed or timed-out delivery, on the functions’ own metric', () => {
    // Prepare
    const services = serviceNames();
    const [service] = [...services];

    // Assess
    expect(services.size).toBe(1);
    for (const outcome of ['failed', 'partially_failed', 'callback_timed_out']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Acme/Downloads',
        MetricName: METRICS.deliveryOutcome,
        Dimensions: Match.arrayWith([
          { Name: 'Outcome', Value: outcome },
          { Name: 'service', Value: service },
        ]),
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('alarms on a spike of refused callbacks at the configured threshold', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Acme/Downloads',
      MetricName: METRICS.callbacksRejected,
      Threshold: 7,
      Period: 300,
    });
  });

  it('alarms when the reconciler acted on a stuck delivery, whatever it did', () => {
    const [alarm] = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: {
          Metrics: Match.arrayWith([Match.objectLike({ Expression: Match.stringLikeRegexp('FILL') })]),
        },
      }),
    );
    const metrics = alarm?.Properties.Metrics as {
      MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string; Value: string }[] } };
    }[];
    const actions = metrics
      .flatMap((entry) => (entry.MetricStat === undefined ? [] : [entry.MetricStat.Metric]))
      .map((metric) => {
        expect(metric.MetricName).toBe(METRICS.stalledDeliveries);
        return metric.Dimensions.find((dimension) => dimension.Name === 'Action')?.Value;
      });
    expect(actions.sort()).toEqual(['failed', 'resent', 'timed_out']);
  });
});

describe('the reconciler', () => {
  const reconciler = () => {
    const [id] = Object.keys(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('reconciler') },
      }),
    );
    return id ?? 'missing';
  };

  it('runs on a schedule with the stall threshold in its environment', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(10 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [reconciler(), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('reconciler'),
      Environment: { Variables: Match.objectLike({ DOWNLOADER_STALL_AFTER_MINUTES: '90' }) },
    });
  });

  it('may send task tokens to, and describe executions of, this state machine only', () => {
    const role = template.findResources('AWS::Lambda::Function')[reconciler()]?.Properties.Role as {
      'Fn::GetAtt': [string, string];
    };
    const statements = policyStatements(template).filter(({ policy }) => {
      const roles = template.findResources('AWS::IAM::Policy')[policy]?.Properties.Roles as { Ref: string }[];
      return roles.some((ref) => ref.Ref === role['Fn::GetAtt'][0]);
    });
    const actions = statements.flatMap(({ statement }) => actionsOf(statement));
    expect(actions).toEqual(
      expect.arrayContaining(['states:SendTaskSuccess', 'states:DescribeExecution', 'events:PutEvents']),
    );
    expect(actions).not.toContain('states:StartExecution');
    const describe = statements.find(({ statement }) =>
      actionsOf(statement).includes('states:DescribeExecution'),
    );
    expect(JSON.stringify(describe?.statement.Resource)).toMatch(/:execution:/);
  });
});
