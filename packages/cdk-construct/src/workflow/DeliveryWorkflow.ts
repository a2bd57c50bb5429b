/** The Step Functions standard workflow, from the service's single-source ASL definition. */
import { type Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge } from '../nag/acknowledge.js';

/** Inputs of {@link DeliveryWorkflow}. */
export interface DeliveryWorkflowProps {
  /** The ASL definition object with resource ARNs already substituted (CDK tokens allowed). */
  readonly definition: object;
  /** Functions the definition invokes (the role may invoke exactly these). */
  readonly taskFunctions: readonly lambda.IFunction[];
  /** Job queue and definition the definition submits to with `batch:submitJob.sync`, if any. */
  readonly batch?: { readonly jobQueueArn: string; readonly jobDefinitionArn: string };
  readonly logRetention: logs.RetentionDays;
  /** Longest a whole execution may run (callback wait + downloads). */
  readonly timeout: Duration;
}

/** Managed rule Step Functions creates to learn when a submitted Batch job ends (`.sync`). */
const BATCH_SYNC_RULE = 'StepFunctionsGetEventsForBatchJobsRule';

/** State machine + log group + role with exactly what the definition calls. */
export class DeliveryWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: DeliveryWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: 'downloader delivery workflow',
    });
    if (props.taskFunctions.length > 0) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          // The definition invokes the unqualified ARNs: no version or alias wildcard needed.
          resources: props.taskFunctions.map((fn) => fn.functionArn),
        }),
      );
    }
    if (props.batch !== undefined) {
      // What `arn:aws:states:::batch:submitJob.sync` needs, and nothing more.
      this.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['batch:SubmitJob'],
          resources: [props.batch.jobQueueArn, props.batch.jobDefinitionArn],
        }),
      );
      this.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['batch:DescribeJobs'],
          // DescribeJobs supports no resource-level permission.
          resources: ['*'],
        }),
      );
      this.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['batch:TerminateJob'],
          // Job ids are only known at run time; TerminateJob is limited to this account's jobs.
          resources: [stack.formatArn({ service: 'batch', resource: 'job', resourceName: '*' })],
        }),
      );
      this.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
          resources: [
            stack.formatArn({ service: 'events', resource: 'rule', resourceName: BATCH_SYNC_RULE }),
          ],
        }),
      );
    }
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      // Tokens inside the JSON become Fn::Join pieces, so ARNs resolve at deploy time.
      definitionBody: sfn.DefinitionBody.fromString(stack.toJsonString(props.definition)),
      role: this.role,
      tracingEnabled: true,
      timeout: props.timeout,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    acknowledge(
      this.role,
      'IAM5[Resource::*]',
      'Required by AWS: CloudWatch Logs delivery (logs:CreateLogDelivery & co.) and X-Ray accept only ' +
        'Resource "*", and batch:DescribeJobs has no resource-level permission (batch:submitJob.sync polls it).',
    );
    acknowledge(
      this.role,
      `IAM5[Resource::arn:<AWS::Partition>:batch:${regionAccount(stack)}:job/*]`,
      'batch:submitJob.sync may stop the job it started (TerminateJob) when the execution stops; ' +
        'job ids are known only at run time.',
    );
  }
}

/** `<AWS::Region>:<AWS::AccountId>` or the stack's literal region and account, as cdk-nag spells them. */
function regionAccount(stack: Stack): string {
  const spell = (value: string, pseudo: string) => (value.startsWith('${Token[') ? `<${pseudo}>` : value);
  return `${spell(stack.region, 'AWS::Region')}:${spell(stack.account, 'AWS::AccountId')}`;
}
