/** A WorkflowEngine double that records what the HTTP layer asked of it. */
import type {
  DeliveryExecutionInput,
  JsonValue,
  StartExecutionResult,
  WorkflowEngine,
} from '../../../src/ports/WorkflowEngine.js';

/** Records executions and task successes; tokens listed in `waiting` are accepted once. */
export class RecordingEngine implements WorkflowEngine {
  readonly started: { name: string; input: DeliveryExecutionInput }[] = [];
  readonly successes: { token: string; output: JsonValue }[] = [];
  readonly waiting = new Set<string>();
  /** The next this many sendTaskSuccess calls fail as an unreachable engine would. */
  failures = 0;

  async startExecution(name: string, input: DeliveryExecutionInput): Promise<StartExecutionResult> {
    const started = !this.started.some((execution) => execution.name === name);
    if (started) this.started.push({ name, input });
    return { executionId: name, started };
  }

  async sendTaskSuccess(token: string, output: JsonValue): Promise<boolean> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('ThrottlingException: Rate exceeded');
    }
    if (!this.waiting.delete(token)) return false;
    this.successes.push({ token, output });
    return true;
  }

  async sendTaskFailure(): Promise<boolean> {
    return false;
  }
}
