/** Props of {@link CallbackDownloader}. */
import type { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { ProviderProfileInput } from '../../callback-core/src/profile/types.js';

/** A JSON value, as a provider profile is written in the service's config file. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** One provider the deployment accepts callbacks from. */
export interface ProviderDefinition {
  /**
   * The provider profile exactly as in the service's config file (id, signature scheme, files
   * source, URL policy, limits), typed from callback-core's profile schema: a misspelt scheme or
   * field fails to compile. Secret values are written as `{ env: 'NAME' }` references and are
   * never part of the template: each `NAME` is read from Secrets Manager by the Lambda functions
   * at cold start.
   */
  readonly profile: ProviderProfileInput;
  /**
   * The Secrets Manager secret holding the value of each `{ "env": "NAME" }` reference of
   * `profile`, keyed by `NAME`. The secret's value is the plain signing secret (SecretString).
   *
   * @default - a new secret (value generated; set the provider's real secret afterwards) for every
   *   referenced name that is not listed here
   */
  readonly secrets?: { readonly [envName: string]: secretsmanager.ISecret };
}

/** Props of {@link CallbackDownloader}. Every field is optional. */
export interface CallbackDownloaderProps {
  /**
   * The providers whose callbacks are accepted.
   *
   * @default - none: registrations for any provider are refused until one is added
   */
  readonly providers?: readonly ProviderDefinition[];

  /**
   * A DynamoDB table you own for deliveries, callback tokens and dedupe records. It must have the
   * string keys `pk` (partition) and `sk` (sort), the string-keyed global secondary indexes
   * `byCreatedAt` (`gsi1pk`, `gsi1sk`, all attributes projected) and `openByCreatedAt` (`openPk`,
   * `gsi1sk`, keys only), and TTL on the number attribute `ttl` (the names are the service's
   * `TABLE_SCHEMA`, `@downloader/service/dynamodb-keys`).
   * Mutually exclusive with `tableProps`.
   *
   * @default - a new table (on-demand, TTL, point-in-time recovery)
   */
  readonly existingTable?: dynamodb.ITable;
  /**
   * Overrides for the new table (keys and index are fixed by the service's store).
   * Mutually exclusive with `existingTable`.
   *
   * @default - on-demand billing, point-in-time recovery on, AWS-managed encryption, retained on delete
   */
  readonly tableProps?: Omit<dynamodb.TableProps, 'partitionKey' | 'sortKey' | 'timeToLiveAttribute'>;

  /**
   * The destination bucket you own. Mutually exclusive with `bucketProps`.
   *
   * @default - a new bucket (SSE-S3, TLS only, public access blocked, incomplete multipart uploads aborted)
   */
  readonly existingBucket?: s3.IBucket;
  /**
   * Overrides for the new destination bucket. Mutually exclusive with `existingBucket`.
   *
   * @default - SSE-S3, TLS only, public access blocked, bucket-owner-enforced, server access logs to a
   *   new logs bucket, retained on delete
   */
  readonly bucketProps?: s3.BucketProps;
  /**
   * Incomplete multipart uploads of the new bucket are aborted this long after they start
   * (a large file interrupted for good leaves parts behind that cost money).
   *
   * @default Duration.days(7)
   */
  readonly abortIncompleteMultipartUploadsAfter?: Duration;
  /**
   * Where the new bucket's server access logs go.
   *
   * @default - a new logs bucket (SSE-S3, TLS only, public access blocked)
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /**
   * Key prefix of every delivered object: `<prefix><deliveryId>/<name>`.
   *
   * @default 'deliveries/'
   */
  readonly objectKeyPrefix?: string;

  /**
   * The VPC the Batch jobs run in; it needs private subnets with egress to the providers.
   * Mutually exclusive with `vpcProps`.
   *
   * @default - a new VPC (2 AZs, one NAT gateway, flow logs)
   */
  readonly existingVpc?: ec2.IVpc;
  /**
   * Overrides for the new VPC. Mutually exclusive with `existingVpc`.
   *
   * @default - 2 AZs, one NAT gateway, public + private-with-egress subnets, rejected-traffic flow logs
   */
  readonly vpcProps?: ec2.VpcProps;

  /**
   * The batch-runner image. Pass a published image (for example
   * `ecs.ContainerImage.fromRegistry(...)` or `fromEcrRepository(...)`) to deploy without Docker.
   *
   * @default - built from the Dockerfile shipped in this package (linux/amd64; Docker needed at deploy)
   */
  readonly image?: ecs.ContainerImage;
  /**
   * Fargate ephemeral storage of each large-file job (21–200 GiB): must hold the largest file's
   * resume journal and buffers.
   *
   * @default Size.gibibytes(50)
   */
  readonly ephemeralStorage?: Size;
  /**
   * vCPUs of each large-file job (Fargate values: 0.25, 0.5, 1, 2, 4, 8, 16).
   *
   * @default 1
   */
  readonly jobCpu?: number;
  /**
   * Memory of each large-file job (a valid Fargate combination with `jobCpu`).
   *
   * @default Size.gibibytes(2)
   */
  readonly jobMemory?: Size;
  /**
   * Longest time one attempt of a large-file job may run before Batch stops it.
   *
   * @default Duration.hours(12)
   */
  readonly jobTimeout?: Duration;
  /**
   * Attempts of a large-file job (1–10). batch-runner's "transient" exit (75) and failures
   * without an exit code (capacity, image pull) are retried; any other exit code is final.
   *
   * @default 3
   */
  readonly jobAttempts?: number;
  /**
   * Most vCPUs the Fargate compute environment runs at once.
   *
   * @default 64
   */
  readonly maxVcpus?: number;

  /**
   * How long a delivery waits for its provider's callback before it fails as `callback_timed_out`.
   *
   * @default Duration.days(7)
   */
  readonly callbackTimeout?: Duration;
  /**
   * Files of at least this size (or of unknown size) are downloaded by a Batch job; smaller ones in Lambda.
   *
   * @default Size.mebibytes(512)
   */
  readonly largeFileThreshold?: Size;
  /**
   * Files of one delivery downloaded at the same time.
   *
   * @default 8
   */
  readonly maxConcurrency?: number;

  /**
   * The event bus that receives `Delivery Completed` / `Delivery Failed` events (source `downloader`).
   *
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * An SNS topic notified when an alarm (failed or timed-out executions, failed Batch jobs) fires.
   *
   * @default - alarms without actions
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Refused callbacks (4xx answers: bad signature, stale, bad payload…) within 5 minutes that
   * raise the `CallbackRejectionSpike` alarm.
   *
   * @default 20
   */
  readonly callbackRejectionAlarmThreshold?: number;
  /**
   * CloudWatch namespace of the functions' metrics (delivery outcomes, callback rejections, stuck
   * deliveries). Each deployment's metrics carry its own `service` dimension.
   *
   * @default 'Downloader'
   */
  readonly metricsNamespace?: string;
  /**
   * How often the reconciler looks for stuck deliveries.
   *
   * @default Duration.minutes(5)
   */
  readonly reconcileInterval?: Duration;
  /**
   * How long a delivery may stay unchanged (or, awaiting its callback, stay past its deadline)
   * before the reconciler looks at it: it re-sends a task token that was never consumed, and ends a
   * delivery whose execution is over (`failed` with `WORKFLOW_ENDED`, or `callback_timed_out`). A
   * delivery whose execution still runs is left alone.
   *
   * @default Duration.hours(1)
   */
  readonly stallAfter?: Duration;
  /**
   * Retention of the API access logs, the workflow logs, the Batch job logs and the functions' logs.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Memory of each Lambda function.
   *
   * @default Size.mebibytes(1024)
   */
  readonly lambdaMemory?: Size;
  /**
   * Requests per second the HTTP API accepts (steady state) before answering 429.
   *
   * @default 100
   */
  readonly apiRateLimit?: number;
  /**
   * Removal policy of the provider secrets the construct creates. They hold the providers' real
   * signing secrets once set, so they survive a stack delete unless you say otherwise.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly secretsRemovalPolicy?: RemovalPolicy;
  /**
   * Removal policy of the new table, bucket and logs bucket.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
