/** The workflow's Lambda tasks: which bundle runs each and what it may touch. */
import { Duration } from 'aws-cdk-lib';

/** One Lambda task of the delivery workflow. */
export interface TaskHandlerSpec {
  /** Key of the task in the service's `resources` map. */
  readonly key: string;
  /** Folder under `dist/lambda/`. */
  readonly bundle: string;
  readonly timeout: Duration;
  /** Needs the providers' signing secrets (list APIs and manifests may need them). */
  readonly readsProviderSecrets: boolean;
  /** Puts `Delivery Completed` / `Delivery Failed` events. */
  readonly putsEvents: boolean;
}

/** Every Lambda task; the large-file task runs on AWS Batch instead. */
export const TASK_HANDLERS: readonly TaskHandlerSpec[] = [
  {
    key: 'awaitCallback',
    bundle: 'await-callback',
    timeout: Duration.seconds(30),
    readsProviderSecrets: false,
    putsEvents: false,
  },
  {
    key: 'resolveFiles',
    bundle: 'resolve-files',
    timeout: Duration.minutes(5),
    readsProviderSecrets: true,
    putsEvents: false,
  },
  {
    key: 'probeFile',
    bundle: 'probe-file',
    timeout: Duration.minutes(1),
    readsProviderSecrets: true,
    putsEvents: false,
  },
  {
    key: 'downloadSmallFile',
    bundle: 'download-small-file',
    timeout: Duration.minutes(15),
    readsProviderSecrets: true,
    putsEvents: false,
  },
  {
    key: 'finalize',
    bundle: 'finalize',
    timeout: Duration.minutes(5),
    readsProviderSecrets: false,
    putsEvents: true,
  },
];
