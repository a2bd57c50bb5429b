import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_NAMES } from '../../../service/src/workflow/taskNames.js';
import type { CallbackDownloader } from '../../src/CallbackDownloader.js';
import { useStubAssets } from '../helpers/stubAssets.js';
import { cleanSynthOutputs, synthesize } from '../helpers/synth.js';
import { actionsOf, policyStatements } from '../helpers/template.js';

let template: Template;
let restoreAssets: () => void;

beforeAll(() => {
  restoreAssets = useStubAssets();
  ({ template } = synthesize({}, { nag: false }));
});

afterAll(() => {
  restoreAssets();
  cleanSynthOutputs();
});

describe('least privilege', () => {
  it('has no statement with a wildcard action', () => {
    const wildcard = policyStatements(template).filter(({ statement }) =>
      actionsOf(statement).some((action) => action.includes('*')),
    );
    expect(wildcard.map(({ policy, statement }) => `${policy}: ${actionsOf(statement).join(',')}`)).toEqual(
      [],
    );
  });

  it('lets the workflow run its Batch jobs with exactly what batch:submitJob.sync needs', () => {
    const workflow = policyStatements(template).filter(({ policy }) =>
      policy.startsWith('DownloaderWorkflowRole'),
    );
    const byAction = (action: string) =>
      workflow.filter(({ statement }) => actionsOf(statement).includes(action));
    expect(byAction('batch:SubmitJob')).toHaveLength(1);
    expect(byAction('batch:DescribeJobs')).toHaveLength(1);
    expect(byAction('batch:TerminateJob')).toHaveLength(1);
    const [events] = byAction('events:PutRule');
    expect(actionsOf(events?.statement ?? {}).sort()).toEqual([
      'events:DescribeRule',
      'events:PutRule',
      'events:PutTargets',
    ]);
    expect(JSON.stringify(events?.statement.Resource)).toContain(
      ':rule/StepFunctionsGetEventsForBatchJobsRule',
    );
  });

  it('lets the workflow invoke only its task functions, unqualified', () => {
    const [invoke] = policyStatements(template).filter(
      ({ policy, statement }) =>
        policy.startsWith('DownloaderWorkflowRole') && actionsOf(statement).includes('lambda:InvokeFunction'),
    );
    // Every Task but DownloadLarge (a Batch job) is a function.
    expect(invoke?.statement.Resource).toHaveLength(TASK_NAMES.length - 1);
    expect(JSON.stringify(invoke?.statement.Resource)).not.toContain(':*');
  });

  it('lets the API start executions and answer task tokens of its own state machine only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^DownloaderApiRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'states:StartExecution',
            Resource: { Ref: Match.stringLikeRegexp('StateMachine') },
          }),
          Match.objectLike({
            Action: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
            Resource: { Ref: Match.stringLikeRegexp('StateMachine') },
          }),
        ]),
      },
    });
  });
});

function grantedStatements(grant: (downloader: CallbackDownloader, role: iam.IRole) => void): string {
  const { template: granted } = synthesize(
    {},
    {
      nag: false,
      extend: (scope, built) =>
        grant(built, new iam.Role(scope, 'Grantee', { assumedBy: new iam.AccountRootPrincipal() })),
    },
  );
  const policies = granted.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^Grantee') }] },
  });
  return JSON.stringify(Object.values(policies).map((policy) => policy.Properties.PolicyDocument.Statement));
}

describe('grants', () => {
  it('grantStartDelivery allows POST /deliveries and GET /deliveries/* on the API, nothing else', () => {
    // Act
    const text = grantedStatements((built, role) => built.grantStartDelivery(role));
    // Assess
    expect(text).toContain('execute-api:Invoke');
    expect(text).toContain('/$default/POST/deliveries');
    expect(text).toContain('/$default/GET/deliveries/*');
    expect(text).not.toContain('s3:');
  });

  it('grantReadResults allows reading delivered objects and listing deliveries', () => {
    const text = grantedStatements((built, role) => built.grantReadResults(role));
    expect(text).toContain('"s3:GetObject"');
    expect(text).toContain('/deliveries/*');
    expect(text).toContain('/$default/GET/deliveries');
    expect(text).not.toContain('s3:PutObject');
  });
});
