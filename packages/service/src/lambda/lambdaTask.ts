/** Wraps a task handler (a plain function over ports) as a Lambda handler. */
import type { ResolvedProviderProfile } from '@downloader/callback-core';
import type { TaskContext } from '../handlers/TaskContext.js';
import type { JsonValue } from '../ports/WorkflowEngine.js';
import { type AwsDependencies, awsDependencies } from './awsDependencies.js';
import { withObservability } from './observability/withObservability.js';
import { taskContext } from './taskContext.js';

/** The part of Lambda's context object the wrapper uses. */
export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

/** A task handler as the workflow definition calls it. */
export type TaskFunction = (ctx: TaskContext, input: JsonValue) => Promise<JsonValue>;

/** Options of {@link lambdaTask}. */
export interface LambdaTaskOptions {
  /** The Task's name, on every log line of the invocation. */
  readonly name: string;
  /** Loads provider profiles and secrets first (only the tasks granted the secrets may). */
  readonly needsProfiles: boolean;
  /** Runs after the handler succeeded (events on terminal status). */
  readonly after?: (deps: AwsDependencies, input: JsonValue, output: JsonValue) => Promise<void>;
}

/**
 * Time kept back before Lambda's own timeout: the handler is aborted then, so a partial download
 * saves its journal and the workflow's Retry resumes it instead of Lambda killing it mid-write.
 */
const ABORT_MARGIN_MS = 10_000;

const NO_PROFILES: ReadonlyMap<string, ResolvedProviderProfile> = new Map();

/** A Lambda handler running `task` over the AWS adapters. */
export function lambdaTask(
  task: TaskFunction,
  options: LambdaTaskOptions,
): (event: JsonValue, context?: LambdaContextLike) => Promise<JsonValue> {
  return (event, context) =>
    withObservability(options.name, event, () => runTask(task, options, event, context));
}

async function runTask(
  task: TaskFunction,
  options: LambdaTaskOptions,
  event: JsonValue,
  context: LambdaContextLike | undefined,
): Promise<JsonValue> {
  const deps = awsDependencies();
  const profiles = options.needsProfiles ? await deps.profiles() : NO_PROFILES;
  const controller = new AbortController();
  const timer =
    context === undefined
      ? undefined
      : setTimeout(
          () => controller.abort(new Error('The Lambda invocation is about to time out.')),
          Math.max(0, context.getRemainingTimeInMillis() - ABORT_MARGIN_MS),
        );
  try {
    const output = await task(await taskContext(deps, profiles, controller.signal), event);
    await options.after?.(deps, event, output);
    return output;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
