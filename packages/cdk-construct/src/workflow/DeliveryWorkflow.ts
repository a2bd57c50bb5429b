/** The Step Functions standard workflow, from the service's single-source ASL definition. */
import { type Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

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
          resources: props.taskFunctions.flatMap((fn) => [fn.functionArn, `${fn.functionArn}:*`]),
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
          actions: ['batch:DescribeJobs', 'batch:TerminateJob'],
          // Batch supports no resource-level permission for these two (job ids are unknown upfront).
          resources: ['*'],
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
  }
}
