/** The AWS workflow engine: Step Functions executions and task-token callbacks. */
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type {
  DeliveryExecutionInput,
  JsonValue,
  StartExecutionResult,
  WorkflowEngine,
} from '../../../ports/WorkflowEngine.js';
import { AwsSettingsError } from '../AwsSettingsError.js';

/** Options of {@link StepFunctionsEngine}. */
export interface StepFunctionsEngineOptions {
  readonly client: SFNClient;
  /** Needed to start executions; answering task tokens works without it (AwaitCallback). */
  readonly stateMachineArn?: string;
}

/** Step Functions caps `error` at 256 and `cause` at 32 768 characters. */
const MAX_ERROR = 256;
const MAX_CAUSE = 32_768;

function isGone(error: unknown): boolean {
  return error instanceof TaskDoesNotExist || error instanceof TaskTimedOut || error instanceof InvalidToken;
}

/** `arn:…:stateMachine:name` → `arn:…:execution:name:<execution>`. */
function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/**
 * {@link WorkflowEngine} on AWS Step Functions (standard workflows). Executions are named after
 * the delivery id, so starting twice is harmless: the second start finds the first.
 */
export class StepFunctionsEngine implements WorkflowEngine {
  readonly #client: SFNClient;
  readonly #stateMachineArn: string | undefined;

  constructor(options: StepFunctionsEngineOptions) {
    this.#client = options.client;
    this.#stateMachineArn = options.stateMachineArn;
  }

  async startExecution(name: string, input: DeliveryExecutionInput): Promise<StartExecutionResult> {
    const stateMachineArn = this.#stateMachineArn;
    if (stateMachineArn === undefined) {
      throw new AwsSettingsError('This engine has no state machine ARN; it can only answer task tokens.');
    }
    try {
      const result = await this.#client.send(
        new StartExecutionCommand({
          stateMachineArn: this.#stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      return { executionId: result.executionArn ?? executionArn(stateMachineArn, name), started: true };
    } catch (error) {
      // Same name and same input: Step Functions answers with the running execution instead of
      // this error; a different input (a restart with `resumeFrom`) lands here.
      if (error instanceof ExecutionAlreadyExists) {
        return { executionId: executionArn(stateMachineArn, name), started: false };
      }
      throw error;
    }
  }

  async sendTaskSuccess(token: string, output: JsonValue): Promise<boolean> {
    try {
      await this.#client.send(
        new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }),
      );
      return true;
    } catch (error) {
      if (isGone(error)) return false;
      throw error;
    }
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<boolean> {
    try {
      await this.#client.send(
        new SendTaskFailureCommand({
          taskToken: token,
          error: error.slice(0, MAX_ERROR),
          cause: cause.slice(0, MAX_CAUSE),
        }),
      );
      return true;
    } catch (failure) {
      if (isGone(failure)) return false;
      throw failure;
    }
  }
}
