/** AWS Batch on Fargate: where files too large for Lambda are downloaded. */
import { Duration, Size } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { batchRunnerContextPath } from '../assetPaths.js';
import type { CallbackDownloaderProps } from '../CallbackDownloaderProps.js';
import { assertNotBoth, CallbackDownloaderError } from '../errors.js';
import { objectWriteStatements } from '../iam/objectWriteStatements.js';
import { acknowledge, REASONS, wildcardResourceFinding } from '../nag/acknowledge.js';

/** batch-runner's exit code for a transient failure (state saved; a new attempt resumes). */
export const RETRYABLE_EXIT_CODE = 75;

/** Inputs of {@link LargeFileJobs}. */
export interface LargeFileJobsProps {
  readonly settings: CallbackDownloaderProps;
  readonly bucket: s3.IBucket;
  readonly objectKeyPrefix: string;
  readonly logRetention: logs.RetentionDays;
  /** Environment of the job (table, bucket, providers…), as the Lambda tasks get it. */
  readonly environment: { readonly [key: string]: string };
}

/** VPC, Fargate compute environment, job queue and job definition of the batch runner. */
export class LargeFileJobs extends Construct {
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.SecurityGroup;
  readonly computeEnvironment: batch.FargateComputeEnvironment;
  readonly jobQueue: batch.JobQueue;
  readonly jobDefinition: batch.EcsJobDefinition;
  readonly jobRole: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** Attempts Batch makes of one job. */
  readonly attempts: number;
  /** Longest one attempt runs before Batch stops it. */
  readonly attemptTimeout: Duration;

  constructor(scope: Construct, id: string, props: LargeFileJobsProps) {
    super(scope, id);
    const settings = props.settings;
    assertNotBoth('existingVpc', settings.existingVpc, 'vpcProps', settings.vpcProps);
    const attempts = settings.jobAttempts ?? 3;
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 10) {
      throw new CallbackDownloaderError(
        'INVALID_PROPS',
        `CallbackDownloader: jobAttempts must be 1–10, got ${attempts}.`,
      );
    }

    this.attempts = attempts;
    this.attemptTimeout = settings.jobTimeout ?? Duration.hours(12);
    this.vpc = settings.existingVpc ?? this.newVpc(settings.vpcProps, props.logRetention);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      description: 'batch-runner jobs: no inbound; outbound to providers and AWS APIs',
      allowAllOutbound: true,
    });
    this.computeEnvironment = new batch.FargateComputeEnvironment(this, 'ComputeEnvironment', {
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      maxvCpus: settings.maxVcpus ?? 64,
      spot: false,
    });
    this.jobQueue = new batch.JobQueue(this, 'JobQueue', {
      computeEnvironments: [{ computeEnvironment: this.computeEnvironment, order: 1 }],
    });

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.jobRole = new iam.Role(this, 'JobRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'DownloadLarge job: updates the delivery record and writes one file (multipart)',
    });
    for (const statement of objectWriteStatements(props.bucket, props.objectKeyPrefix)) {
      this.jobRole.addToPolicy(statement);
    }
    acknowledge(
      this.jobRole,
      wildcardResourceFinding(this, props.bucket.arnForObjects(`${props.objectKeyPrefix}*`)),
      REASONS.objectPrefix,
    );
    const executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'batch-runner: pulls the image and writes the job logs',
    });
    acknowledge(
      executionRole,
      'IAM5[Resource::*]',
      'ecr:GetAuthorizationToken supports no resource-level permission; image pulls are limited to the repository.',
    );

    const image =
      settings.image ??
      ecs.ContainerImage.fromAsset(batchRunnerContextPath(), { platform: Platform.LINUX_AMD64 });
    this.jobDefinition = new batch.EcsJobDefinition(this, 'JobDefinition', {
      container: new batch.EcsFargateContainerDefinition(this, 'Container', {
        image,
        cpu: settings.jobCpu ?? 1,
        memory: settings.jobMemory ?? Size.gibibytes(2),
        ephemeralStorageSize: settings.ephemeralStorage ?? Size.gibibytes(50),
        fargateCpuArchitecture: ecs.CpuArchitecture.X86_64,
        fargateOperatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        assignPublicIp: false,
        jobRole: this.jobRole,
        executionRole,
        readonlyRootFilesystem: false,
        environment: { ...props.environment },
        logging: ecs.LogDriver.awsLogs({ streamPrefix: 'batch-runner', logGroup: this.logGroup }),
      }),
      retryAttempts: attempts,
      // Retry what batch-runner calls transient; any other exit code is final (bad URL, checksum
      // mismatch). Failures without an exit code (capacity, image pull) match no rule and are retried.
      retryStrategies: [
        batch.RetryStrategy.of(
          batch.Action.RETRY,
          batch.Reason.custom({ onExitCode: String(RETRYABLE_EXIT_CODE) }),
        ),
        batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.custom({ onExitCode: '*' })),
      ],
      timeout: this.attemptTimeout,
    });
  }

  private newVpc(vpcProps: ec2.VpcProps | undefined, logRetention: logs.RetentionDays): ec2.IVpc {
    // The flow log's own group, so it keeps logRetention like every other log (a default
    // flow-log group keeps two years).
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', { retention: logRetention });
    return new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'jobs', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
      flowLogs: {
        rejected: {
          trafficType: ec2.FlowLogTrafficType.REJECT,
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
        },
      },
      ...vpcProps,
    });
  }
}
