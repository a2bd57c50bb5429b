/** One pre-bundled Lambda handler of the service, with its own role and log group. */
import type { Duration, Size } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { lambdaAssetPath } from '../assetPaths.js';
import { acknowledge, REASONS } from '../nag/acknowledge.js';

/** Inputs of {@link HandlerFunction}. */
export interface HandlerFunctionProps {
  /** Folder name under `dist/lambda/` (also the handler's short name). */
  readonly bundle: string;
  readonly description: string;
  readonly environment: { readonly [key: string]: string };
  readonly memory: Size;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
}

/**
 * A Node 22 function whose code is the handler bundled at package build time
 * (`dist/lambda/<bundle>/index.mjs`), so that consumers need neither esbuild nor Docker to synth.
 * Its role starts empty apart from writing its own logs; callers add exactly what it uses.
 */
export class HandlerFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `downloader ${props.bundle} handler`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.function = new lambda.Function(this, 'Function', {
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(lambdaAssetPath(props.bundle)),
      handler: 'index.handler',
      memorySize: props.memory.toMebibytes(),
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
    acknowledge(this.function, 'L1', REASONS.runtime);
    acknowledge(this.role, 'IAM5[Resource::*]', REASONS.xray);
  }
}
