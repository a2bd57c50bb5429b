/** `CallbackDownloader`: durable callback URLs in, verified files in S3 out. */
import { ArnFormat, CfnOutput, Duration, Names, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import type * as batch from 'aws-cdk-lib/aws-batch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  METRIC_NAMESPACE_DEFAULT,
  POWERTOOLS_ENV,
} from '../../service/src/lambda/observability/metricNames.js';
import { DeliveryApi } from './api/DeliveryApi.js';
import { LargeFileJobs } from './batch/LargeFileJobs.js';
import { largeFileTaskTimeout } from './batch/largeFileTiming.js';
import type { CallbackDownloaderProps } from './CallbackDownloaderProps.js';
import { HandlerFunction } from './handlers/HandlerFunction.js';
import { objectReadStatements, objectWriteStatements } from './iam/objectWriteStatements.js';
import { tableReadStatements, tableWriteStatements } from './iam/tableStatements.js';
import { DeliveryAlarms } from './monitoring/DeliveryAlarms.js';
import { acknowledge, acknowledgeOnGrantee, REASONS, wildcardResourceFinding } from './nag/acknowledge.js';
import { ProviderSecrets } from './providers/ProviderSecrets.js';
import { deliveryTable } from './storage/deliveryTable.js';
import { destinationBucket } from './storage/destinationBucket.js';
import { DeliveryWorkflow } from './workflow/DeliveryWorkflow.js';
import { deliveryDefinition } from './workflow/deliveryDefinition.js';
import { type LambdaTaskName, TASK_HANDLERS, type TaskHandlerSpec } from './workflow/taskHandlers.js';

/** Source of the events the construct's functions put on the event bus. */
export const DELIVERY_EVENT_SOURCE = 'downloader';

/**
 * Hands out one callback URL per expected delivery, waits durably for the provider's call,
 * verifies it, downloads every file (Lambda for small files, AWS Batch on Fargate for large ones)
 * into S3 and reports the outcome — the whole workflow of `@downloader/service` on AWS.
 */
export class CallbackDownloader extends Construct {
  /** Deliveries, callback tokens and dedupe records. */
  readonly table: dynamodb.ITable;
  /** Where delivered files and `_delivery.json` reports are written. */
  readonly bucket: s3.IBucket;
  /** Server access logs of {@link bucket}, when the construct created them. */
  readonly accessLogsBucket?: s3.IBucket;
  /** The HTTP API (registration and status behind IAM, callbacks public). */
  readonly httpApi: DeliveryApi['httpApi'];
  /** The function behind every API route. */
  readonly apiFunction: lambda.Function;
  /** Finds stuck deliveries on a schedule and drives them on or ends them. */
  readonly reconcilerFunction: lambda.Function;
  /** One function per Lambda Task of the workflow, by Task name. */
  readonly taskFunctions: ReadonlyMap<LambdaTaskName, lambda.Function>;
  /** The delivery workflow. */
  readonly stateMachine: sfn.StateMachine;
  /** The VPC the Batch jobs run in. */
  readonly vpc: ec2.IVpc;
  readonly jobQueue: batch.JobQueue;
  readonly jobDefinition: batch.EcsJobDefinition;
  /** Secret per `{ "env": "NAME" }` reference of the provider profiles. */
  readonly providerSecrets: ReadonlyMap<string, secretsmanager.ISecret>;
  /** Where `Delivery Completed` / `Delivery Failed` events go. */
  readonly eventBus: events.IEventBus;
  readonly alarms: DeliveryAlarms;
  /** `https://…/callbacks/`: a delivery's callback URL is this plus its id. */
  readonly callbackBaseUrl: string;
  /** Base URL of the HTTP API. */
  readonly apiUrl: string;
  private readonly objectKeyPrefix: string;

  constructor(scope: Construct, id: string, props: CallbackDownloaderProps = {}) {
    super(scope, id);
    // Server access logs are delivered under a bucket policy, not the legacy LogDeliveryWrite
    // ACL, whatever feature flags the consuming app sets (ACLs are off on our buckets).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const lambdaMemory = props.lambdaMemory ?? Size.mebibytes(1024);
    this.objectKeyPrefix = props.objectKeyPrefix ?? 'deliveries/';
    this.table = deliveryTable(this, props);
    const buckets = destinationBucket(this, props);
    this.bucket = buckets.bucket;
    this.accessLogsBucket = buckets.accessLogsBucket;
    this.eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    const secrets = new ProviderSecrets(
      this,
      'ProviderSecrets',
      props.providers ?? [],
      props.secretsRemovalPolicy ?? RemovalPolicy.RETAIN,
    );
    this.providerSecrets = secrets.secrets;

    const metricsLocation = {
      namespace: props.metricsNamespace ?? METRIC_NAMESPACE_DEFAULT,
      // One deployment's metrics apart from another's in the same account and region.
      serviceName: Names.uniqueResourceName(this, { maxLength: 64 }),
    };
    const common = {
      [POWERTOOLS_ENV.serviceName]: metricsLocation.serviceName,
      [POWERTOOLS_ENV.namespace]: metricsLocation.namespace,
      DOWNLOADER_TABLE: this.table.tableName,
      DOWNLOADER_BUCKET: this.bucket.bucketName,
      DOWNLOADER_KEY_PREFIX: this.objectKeyPrefix,
      DOWNLOADER_EVENT_BUS: this.eventBus.eventBusName,
      ...secrets.environment(),
    };
    const jobs = new LargeFileJobs(this, 'LargeFiles', {
      settings: props,
      bucket: this.bucket,
      objectKeyPrefix: this.objectKeyPrefix,
      logRetention,
      environment: common,
    });
    this.vpc = jobs.vpc;
    this.jobQueue = jobs.jobQueue;
    this.jobDefinition = jobs.jobDefinition;
    for (const statement of tableWriteStatements(this.table)) jobs.jobRole.addToPolicy(statement);
    secrets.grantRead(jobs.jobRole);

    const taskFunctions = new Map<LambdaTaskName, lambda.Function>();
    for (const spec of TASK_HANDLERS) {
      const handler = new HandlerFunction(this, `${spec.name}Task`, {
        bundle: spec.bundle,
        description: `downloader workflow task ${spec.name}`,
        environment: common,
        memory: lambdaMemory,
        timeout: spec.timeout,
        logRetention,
      });
      this.grantTask(spec, handler, secrets);
      taskFunctions.set(spec.name, handler.function);
    }
    this.taskFunctions = taskFunctions;

    const timeout = props.callbackTimeout ?? Duration.days(7);
    const largeFileTimeout = largeFileTaskTimeout(jobs.attempts, jobs.attemptTimeout);
    const workflow = new DeliveryWorkflow(this, 'Workflow', {
      definition: deliveryDefinition({
        taskFunctionArns: Object.fromEntries(
          [...taskFunctions].map(([name, fn]) => [name, fn.functionArn]),
        ) as Record<LambdaTaskName, string>,
        jobQueueArn: jobs.jobQueue.jobQueueArn,
        jobDefinitionArn: jobs.jobDefinition.jobDefinitionArn,
        largeFileTimeoutSeconds: largeFileTimeout.toSeconds(),
      }),
      taskFunctions: [...taskFunctions.values()],
      batch: {
        jobQueueArn: jobs.jobQueue.jobQueueArn,
        jobDefinitionArn: jobs.jobDefinition.jobDefinitionArn,
      },
      logRetention,
      // The callback wait plus a generous bound for the downloads themselves, never shorter than
      // twice what one large file may take with all its Batch attempts.
      timeout: timeout.plus(
        Duration.seconds(Math.max(Duration.days(7).toSeconds(), 2 * largeFileTimeout.toSeconds())),
      ),
    });
    this.stateMachine = workflow.stateMachine;
    this.grantTaskResponse(taskFunctions.get('AwaitCallback'));

    const api = new HandlerFunction(this, 'Api', {
      bundle: 'api',
      description: 'downloader HTTP API: registration, status, provider callbacks',
      environment: {
        ...common,
        DOWNLOADER_STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
        DOWNLOADER_CALLBACK_TIMEOUT_SECONDS: String(timeout.toSeconds()),
        DOWNLOADER_MAX_CONCURRENCY: String(props.maxConcurrency ?? 8),
        DOWNLOADER_LARGE_FILE_THRESHOLD: String((props.largeFileThreshold ?? Size.mebibytes(512)).toBytes()),
      },
      memory: lambdaMemory,
      timeout: Duration.seconds(29),
      logRetention,
    });
    this.apiFunction = api.function;
    const deliveryApi = new DeliveryApi(this, 'HttpApi', {
      handler: api.function,
      logRetention,
      rateLimit: props.apiRateLimit ?? 100,
    });
    this.httpApi = deliveryApi.httpApi;
    this.apiUrl = deliveryApi.url;
    this.callbackBaseUrl = `${deliveryApi.url}/callbacks/`;
    api.function.addEnvironment('DOWNLOADER_PUBLIC_BASE_URL', this.apiUrl);
    this.grantApi(api.function, secrets);

    this.reconcilerFunction = this.reconciler(common, {
      memory: lambdaMemory,
      logRetention,
      interval: props.reconcileInterval ?? Duration.minutes(5),
      stallAfter: props.stallAfter ?? Duration.hours(1),
    });

    this.alarms = new DeliveryAlarms(this, 'Alarms', {
      stateMachine: this.stateMachine,
      jobQueue: jobs.jobQueue,
      metrics: metricsLocation,
      rejectionSpikeThreshold: props.callbackRejectionAlarmThreshold ?? 20,
      ...(props.alarmTopic === undefined ? {} : { alarmTopic: props.alarmTopic }),
    });

    new CfnOutput(this, 'CallbackBaseUrl', {
      value: this.callbackBaseUrl,
      description: 'Callback URL = this + delivery id',
    });
    new CfnOutput(this, 'ApiUrl', { value: this.apiUrl, description: 'HTTP API (IAM-signed requests)' });
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName, description: 'Delivered files' });
    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn });
  }

  /**
   * Lets `grantee` register deliveries (`POST /deliveries` with SigV4) and read their status
   * (`GET /deliveries/{id}` and its files). The path wildcard is what IAM offers for a path
   * parameter; when `grantee` is a construct of this app, that one cdk-nag finding
   * (AwsSolutions-IAM5 on exactly this resource) is acknowledged on it with its reason, so a
   * consumer's `AwsSolutionsChecks` pass.
   */
  grantStartDelivery(grantee: iam.IGrantable): iam.Grant {
    const oneDelivery = this.httpApi.arnForExecuteApi('GET', '/deliveries/*', '$default');
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.httpApi.arnForExecuteApi('POST', '/deliveries', '$default'), oneDelivery],
    });
    acknowledgeOnGrantee(grantee, oneDelivery, REASONS.deliveryPath);
    return grant;
  }

  /**
   * Lets `grantee` read delivered files and reports (objects under the key prefix), and list and
   * read deliveries through the API. As with {@link grantStartDelivery}, the two wildcard
   * findings this adds (objects under the prefix, the delivery path) are acknowledged on `grantee`.
   */
  grantReadResults(grantee: iam.IGrantable): iam.Grant {
    const oneDelivery = this.httpApi.arnForExecuteApi('GET', '/deliveries/*', '$default');
    const api = iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.httpApi.arnForExecuteApi('GET', '/deliveries', '$default'), oneDelivery],
    });
    for (const statement of objectReadStatements(this.bucket, this.objectKeyPrefix)) {
      grantee.grantPrincipal.addToPrincipalPolicy(statement);
    }
    acknowledgeOnGrantee(grantee, oneDelivery, REASONS.deliveryPath);
    acknowledgeOnGrantee(
      grantee,
      this.bucket.arnForObjects(`${this.objectKeyPrefix}*`),
      REASONS.objectPrefix,
    );
    return api;
  }

  /** The reconciler function, its schedule and exactly what it touches. */
  private reconciler(
    environment: { readonly [key: string]: string },
    settings: {
      readonly memory: Size;
      readonly logRetention: logs.RetentionDays;
      readonly interval: Duration;
      readonly stallAfter: Duration;
    },
  ): lambda.Function {
    const handler = new HandlerFunction(this, 'Reconciler', {
      bundle: 'reconcile',
      description: 'downloader reconciler: re-sends lost task tokens, ends deliveries whose workflow ended',
      environment: {
        ...environment,
        DOWNLOADER_STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
        DOWNLOADER_STALL_AFTER_MINUTES: String(Math.max(1, Math.round(settings.stallAfter.toMinutes()))),
      },
      memory: settings.memory,
      timeout: Duration.minutes(5),
      logRetention: settings.logRetention,
    });
    const fn = handler.function;
    for (const statement of tableWriteStatements(this.table)) fn.addToRolePolicy(statement);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:SendTaskSuccess'],
        resources: [this.stateMachine.stateMachineArn],
      }),
    );
    const executions = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }),
    );
    acknowledge(
      handler.role,
      wildcardResourceFinding(this, executions),
      'Executions are named after delivery ids known only at run time; DescribeExecution is limited to ' +
        "this construct's state machine.",
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [this.eventBus.eventBusArn] }),
    );
    new events.Rule(this, 'ReconcileSchedule', {
      description: 'downloader: look for stuck deliveries',
      schedule: events.Schedule.rate(settings.interval),
      targets: [new eventTargets.LambdaFunction(fn, { retryAttempts: 0 })],
    });
    return fn;
  }

  private grantTask(spec: TaskHandlerSpec, handler: HandlerFunction, secrets: ProviderSecrets): void {
    const fn = handler.function;
    for (const statement of tableWriteStatements(this.table)) fn.addToRolePolicy(statement);
    if (spec.writesObjects) {
      for (const statement of objectWriteStatements(this.bucket, this.objectKeyPrefix)) {
        fn.addToRolePolicy(statement);
      }
      acknowledge(
        handler.role,
        wildcardResourceFinding(this, this.bucket.arnForObjects(`${this.objectKeyPrefix}*`)),
        REASONS.objectPrefix,
      );
    }
    if (spec.readsProviders) secrets.grantRead(fn);
    if (spec.putsEvents) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [this.eventBus.eventBusArn] }),
      );
    }
  }

  /**
   * AwaitCallback completes its own task when the callback came first. A separate policy: the
   * function's default policy would make the function depend on the state machine, which itself
   * depends on the function.
   */
  private grantTaskResponse(fn: lambda.Function | undefined): void {
    if (fn?.role === undefined) return;
    new iam.Policy(this, 'AwaitCallbackTaskResponse', {
      roles: [fn.role],
      statements: [
        new iam.PolicyStatement({
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
          resources: [this.stateMachine.stateMachineArn],
        }),
      ],
    });
  }

  private grantApi(fn: lambda.Function, secrets: ProviderSecrets): void {
    for (const statement of [...tableReadStatements(this.table), ...tableWriteStatements(this.table)]) {
      fn.addToRolePolicy(statement);
    }
    secrets.grantRead(fn);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:StartExecution'],
        resources: [this.stateMachine.stateMachineArn],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resources: [this.stateMachine.stateMachineArn],
      }),
    );
  }
}
