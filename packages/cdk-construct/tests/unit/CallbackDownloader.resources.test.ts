import { Duration, Size } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_NAMES } from '../../../service/src/workflow/taskNames.js';
import { useStubAssets } from '../helpers/stubAssets.js';
import { cleanSynthOutputs, synthesize } from '../helpers/synth.js';
import { flattenedDefinition } from '../helpers/template.js';

const ACME = {
  profile: {
    id: 'acme',
    signature: { scheme: 'standard-webhooks', secrets: [{ id: 'k1', value: { env: 'ACME_SECRET' } }] },
    files: { source: 'inline' },
  },
} as const;

let template: Template;
let restoreAssets: () => void;

beforeAll(() => {
  // Prepare
  restoreAssets = useStubAssets();
  // Act
  template = synthesize({
    providers: [ACME],
    ephemeralStorage: Size.gibibytes(120),
    jobTimeout: Duration.hours(6),
    jobAttempts: 5,
    abortIncompleteMultipartUploadsAfter: Duration.days(3),
  }).template;
});

afterAll(() => {
  restoreAssets();
  cleanSynthOutputs();
});

describe('storage', () => {
  it('creates the delivery table with the store keys, TTL, PITR and the list index', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'byCreatedAt',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
        }),
        Match.objectLike({
          IndexName: 'openByCreatedAt',
          KeySchema: [
            { AttributeName: 'openPk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        }),
      ],
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });

  it('creates the destination bucket encrypted, private, TLS-only, logging, aborting stale uploads', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'destination/' }),
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            Id: 'AbortIncompleteMultipartUploads',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
            Status: 'Enabled',
          }),
        ],
      },
    });
    const denyInsecure = Match.objectLike({
      Effect: 'Deny',
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    // Both buckets (destination and access logs) refuse plain HTTP.
    expect(
      Object.keys(
        template.findResources('AWS::S3::BucketPolicy', {
          Properties: { PolicyDocument: { Statement: Match.arrayWith([denyInsecure]) } },
        }),
      ),
    ).toHaveLength(2);
  });
});

describe('large files on AWS Batch (Fargate)', () => {
  it('defines the job with the requested ephemeral storage, attempts, retry rules and timeout', () => {
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      Type: 'container',
      PlatformCapabilities: ['FARGATE'],
      ContainerProperties: Match.objectLike({
        EphemeralStorage: { SizeInGiB: 120 },
        RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
        NetworkConfiguration: { AssignPublicIp: 'DISABLED' },
      }),
      RetryStrategy: {
        Attempts: 5,
        EvaluateOnExit: [
          { Action: 'RETRY', OnExitCode: '75' },
          { Action: 'EXIT', OnExitCode: '*' },
        ],
      },
      Timeout: { AttemptDurationSeconds: 6 * 3600 },
    });
  });

  it('runs a managed Fargate compute environment in private subnets behind a queue', () => {
    template.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      Type: 'managed',
      ComputeResources: Match.objectLike({ Type: 'FARGATE', MaxvCpus: 64 }),
    });
    template.resourceCountIs('AWS::Batch::JobQueue', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
  });
});

describe('HTTP API', () => {
  it('authorises registration and status with IAM and leaves only the callback route open', () => {
    const routes = template.findResources('AWS::ApiGatewayV2::Route');
    const auth = Object.fromEntries(
      Object.values(routes).map((route) => [route.Properties.RouteKey, route.Properties.AuthorizationType]),
    );
    expect(auth).toEqual({
      'POST /deliveries': 'AWS_IAM',
      'GET /deliveries': 'AWS_IAM',
      'GET /deliveries/{id}': 'AWS_IAM',
      'GET /deliveries/{id}/files': 'AWS_IAM',
      'GET /healthz': 'AWS_IAM',
      'POST /callbacks/{id}': 'NONE',
    });
  });

  it('logs access and throttles on the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
  });
});

describe('functions', () => {
  it('deploys the API, the reconciler and one function per Lambda Task, all Node 22, traced, pre-bundled', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(TASK_NAMES.length - 1 + 2);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Code: { S3Key: expect.stringMatching(/^[0-9a-f]{64}\.zip$/) },
      });
    }
  });

  it('gives the API function the callback base URL, state machine and provider secret ARNs', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('HTTP API'),
      Environment: {
        Variables: Match.objectLike({
          DOWNLOADER_STATE_MACHINE_ARN: Match.anyValue(),
          DOWNLOADER_PUBLIC_BASE_URL: Match.anyValue(),
          DOWNLOADER_PROVIDERS: JSON.stringify([ACME.profile]),
          DOWNLOADER_PROVIDER_SECRET_ARNS: Match.anyValue(),
          DOWNLOADER_CALLBACK_TIMEOUT_SECONDS: String(7 * 86_400),
        }),
      },
    });
  });
});

describe('workflow', () => {
  it('is a standard, traced, logged state machine', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
  });

  it('substitutes each Lambda Task with its function and DownloadLarge with the Batch job', () => {
    const definition = flattenedDefinition(template);
    const json = JSON.stringify(definition);
    for (const name of TASK_NAMES.filter((task) => task !== 'DownloadLarge')) {
      expect(json).toMatch(new RegExp(`<Downloader${name}TaskFunction[0-9A-F]{8}\\.Arn>`));
    }
    expect(json).toContain('"Resource":"arn:aws:states:::batch:submitJob.sync"');
    expect(json).toMatch(/"JobQueue":"<DownloaderLargeFilesJobQueue[0-9A-F]{8}\.JobQueueArn>"/);
    expect(json).toMatch(/"JobDefinition":"<DownloaderLargeFilesJobDefinition[0-9A-F]{8}>"/);
  });
});

describe('monitoring and outputs', () => {
  it('alarms on failed and timed-out executions and failed Batch jobs', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsTimedOut',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'MatchedEvents',
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.batch'],
        'detail-type': ['Batch Job State Change'],
        detail: Match.objectLike({ status: ['FAILED'] }),
      },
    });
  });

  it('creates a secret for each referenced provider secret', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
  });

  it('outputs the callback base URL, API URL, bucket and state machine ARN', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    for (const name of ['CallbackBaseUrl', 'ApiUrl', 'BucketName', 'StateMachineArn']) {
      expect(outputs.some((output) => output.startsWith(`Downloader${name}`))).toBe(true);
    }
  });
});
