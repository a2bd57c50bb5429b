/** The embedded engine: aws-local-stepfunctions running the delivery definition in this process. */
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { ServiceError } from '../../../domain/errors.js';
import { TaskInputError } from '../../../handlers/taskInput.js';
import type {
  DeliveryExecutionInput,
  JsonValue,
  StartExecutionResult,
  WorkflowEngine,
} from '../../../ports/WorkflowEngine.js';
import type { AslObject } from '../../../workflow/buildDeliveryStateMachine.js';
import { TASK_NAMES, type TaskName } from '../../../workflow/taskNames.js';
import { ensurePromiseWithResolvers } from './ensurePromiseWithResolvers.js';
import { TaskFailedByCallerError, TaskTokenWaiters } from './TaskTokenWaiters.js';

/** A local Task implementation: receives the Task's effective input (after Parameters). */
export type LocalTaskHandler = (input: JsonValue) => Promise<JsonValue>;

/**
 * What AwaitCallback runs locally before waiting: store the token; return `true` when the
 * callback was already accepted (the wait is then skipped), so a callback that raced the token
 * is never lost.
 */
export type TokenRegistrar = (deliveryId: string, token: string) => Promise<boolean>;

/** How an execution ended, for logs and tests. */
export interface ExecutionOutcome {
  readonly name: string;
  readonly status: 'succeeded' | 'failed' | 'aborted';
  readonly output?: JsonValue;
  readonly error?: Error;
}

/** Options of {@link LocalStepFunctionsEngine}. */
export interface LocalStepFunctionsEngineOptions {
  /** The definition from `buildDeliveryStateMachine` (the same object the cloud deploys). */
  readonly definition: AslObject;
  /** One handler per Task except AwaitCallback, which the engine bridges itself. */
  readonly handlers: Readonly<Record<Exclude<TaskName, 'AwaitCallback'>, LocalTaskHandler>>;
  readonly registerToken: TokenRegistrar;
  /** Called once per finished execution. */
  readonly onExecutionEnd?: (outcome: ExecutionOutcome) => void;
  /** Milliseconds per retrier instead of the definition's backoff (tests keep retries quick). */
  readonly retryDelayMs?: number;
}

interface RunningExecution {
  readonly abort: () => void;
  readonly done: Promise<void>;
}

/** Reads `Payload.deliveryId` and `Payload.taskToken` from AwaitCallback's lambda:invoke parameters. */
function awaitParameters(input: JsonValue): { deliveryId: string; token: string } {
  const payload =
    input !== null && typeof input === 'object' && !Array.isArray(input)
      ? (input.Payload ?? input)
      : undefined;
  if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
    const { deliveryId, taskToken } = payload;
    if (typeof deliveryId === 'string' && typeof taskToken === 'string')
      return { deliveryId, token: taskToken };
  }
  throw new TaskInputError('AwaitCallback got no deliveryId/taskToken in its payload.');
}

/**
 * {@link WorkflowEngine} on aws-local-stepfunctions. Each execution gets its own task token
 * (given to the engine as `$$.Task.Token` through the run context); AwaitCallback waits on it
 * until {@link sendTaskSuccess} / {@link sendTaskFailure} or the definition's TimeoutSecondsPath.
 */
export class LocalStepFunctionsEngine implements WorkflowEngine {
  readonly #machine: StateMachine;
  readonly #options: LocalStepFunctionsEngineOptions;
  readonly #waiters = new TaskTokenWaiters();
  readonly #running = new Map<string, RunningExecution>();
  #closed = false;

  constructor(options: LocalStepFunctionsEngineOptions) {
    ensurePromiseWithResolvers();
    this.#options = options;
    // The definition is plain JSON built by buildDeliveryStateMachine; the library validates it
    // against the States Language itself (constructor throws on an invalid definition). It also
    // writes defaults (QueryLanguage) into the object it validates: it gets a copy, so the
    // caller's definition stays exactly what the cloud deploys.
    this.#machine = new StateMachine(
      structuredClone(options.definition) as unknown as ConstructorParameters<typeof StateMachine>[0],
      {
        validationOptions: { checkArn: true, checkPaths: true },
      },
    );
  }

  async startExecution(name: string, input: DeliveryExecutionInput): Promise<StartExecutionResult> {
    if (this.#closed) throw new ServiceError('RUNTIME_CLOSED', 'The engine is closed; start a new runtime.');
    const executionId = `local:${name}`;
    if (this.#running.has(name)) return { executionId, started: false };
    const token = `${name}.${randomUUID()}`;
    const retryOverrides =
      this.#options.retryDelayMs === undefined ? undefined : this.#retryOverrides(this.#options.retryDelayMs);
    const execution = this.#machine.run({ ...input } as JsonValue as Parameters<StateMachine['run']>[0], {
      overrides: {
        taskResourceLocalHandlers: {
          ...this.#options.handlers,
          AwaitCallback: (taskInput) => this.#awaitCallback(taskInput as JsonValue),
        } as NonNullable<
          NonNullable<Parameters<StateMachine['run']>[1]>['overrides']
        >['taskResourceLocalHandlers'],
        ...(retryOverrides === undefined ? {} : { retryIntervalOverrides: retryOverrides }),
      },
      context: {
        Execution: { Id: executionId, Name: name, Input: { ...input }, StartTime: new Date().toISOString() },
        Task: { Token: token },
      },
      noThrowOnAbort: true,
    });
    const done = execution.result.then(
      (output) =>
        this.#finish(name, token, {
          name,
          status: output === null ? 'aborted' : 'succeeded',
          output: output as JsonValue,
        }),
      (error: unknown) =>
        this.#finish(name, token, {
          name,
          status: 'failed',
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
    this.#running.set(name, { abort: execution.abort, done });
    return { executionId, started: true };
  }

  async sendTaskSuccess(token: string, output: JsonValue): Promise<boolean> {
    return this.#waiters.succeed(token, output);
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<boolean> {
    return this.#waiters.fail(token, new TaskFailedByCallerError(error, cause));
  }

  /** The definition this engine runs (the object it was given, unchanged). */
  get definition(): AslObject {
    return this.#options.definition;
  }

  /** Names of executions still running. */
  get runningExecutions(): string[] {
    return [...this.#running.keys()];
  }

  /** Resolves when the named execution has ended (immediately when none runs). */
  async whenFinished(name: string): Promise<void> {
    await this.#running.get(name)?.done;
  }

  /**
   * Stops every execution where it is, like a killed process: nothing is finalised, the stored
   * state stays for the next runtime to drive on. In-flight task handlers are cancelled by the
   * runtime's abort signal.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const running = [...this.#running.values()];
    for (const execution of running) execution.abort();
    await Promise.all(running.map((execution) => execution.done));
  }

  async #awaitCallback(input: JsonValue): Promise<JsonValue> {
    const { deliveryId, token } = awaitParameters(input);
    // Register before storing the token: a callback that reads the token can always find the waiter.
    const waiting = this.#waiters.wait(token);
    const alreadyAccepted = await this.#options.registerToken(deliveryId, token);
    if (alreadyAccepted) {
      this.#waiters.succeed(token, { deliveryId });
    }
    return waiting;
  }

  #finish(name: string, token: string, outcome: ExecutionOutcome): void {
    this.#waiters.drop(token);
    this.#running.delete(name);
    this.#options.onExecutionEnd?.(outcome);
  }

  #retryOverrides(ms: number): Record<string, number> {
    return Object.fromEntries(
      TASK_NAMES.filter((name) => name !== 'AwaitCallback').map((name) => [name, ms]),
    );
  }
}
