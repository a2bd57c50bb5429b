/** The workflow's Lambda tasks: which bundle runs each and what it may touch. */
import { Duration } from 'aws-cdk-lib';
import { TASK_NAMES, type TaskName } from '../../../service/src/workflow/taskNames.js';

/** Every Task except DownloadLarge, which runs as an AWS Batch job. */
export type LambdaTaskName = Exclude<TaskName, 'DownloadLarge'>;

/** One Lambda task of the delivery workflow. */
export interface TaskHandlerSpec {
  readonly name: LambdaTaskName;
  /** Folder under `dist/lambda/`: the Task name in kebab case. */
  readonly bundle: string;
  readonly timeout: Duration;
  /** Needs the providers' profiles and signing secrets (manifests and list APIs). */
  readonly readsProviders: boolean;
  /** Fetches from providers (needs the object store for writes). */
  readonly writesObjects: boolean;
  /** Puts `Delivery Completed` / `Delivery Failed` events. */
  readonly putsEvents: boolean;
}

/** `NextFileChunk` → `next-file-chunk`. */
export function bundleName(task: TaskName): string {
  return task.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}

const LONG: ReadonlySet<TaskName> = new Set(['DownloadSmall']);
const PROVIDERS: ReadonlySet<TaskName> = new Set(['ResolveFiles', 'ProbeFile', 'DownloadSmall']);
const OBJECTS: ReadonlySet<TaskName> = new Set([
  'ResolveFiles',
  'ProbeFile',
  'DownloadSmall',
  'Finalize',
  'MarkCallbackTimedOut',
  'MarkDeliveryFailed',
]);
const EVENTS: ReadonlySet<TaskName> = new Set(['Finalize', 'MarkCallbackTimedOut', 'MarkDeliveryFailed']);

/** One spec per Lambda task, in the service's Task order. */
export const TASK_HANDLERS: readonly TaskHandlerSpec[] = TASK_NAMES.filter(
  (name): name is LambdaTaskName => name !== 'DownloadLarge',
).map((name) => ({
  name,
  bundle: bundleName(name),
  // Lambda's ceiling for downloads; bookkeeping tasks stay well under the definition's 300 s.
  timeout: LONG.has(name) ? Duration.minutes(15) : Duration.minutes(5),
  readsProviders: PROVIDERS.has(name),
  writesObjects: OBJECTS.has(name),
  putsEvents: EVENTS.has(name),
}));
