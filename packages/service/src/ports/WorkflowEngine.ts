/** Port: the engine that runs the delivery state machine (Step Functions, or the embedded one). */

/** JSON a state machine passes around. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Input of one delivery execution (see the workflow definition). */
export interface DeliveryExecutionInput {
  readonly deliveryId: string;
  /** Where to enter the workflow: `await` (new delivery), or after a crash `resolve` / `download`. */
  readonly resumeFrom: 'await' | 'resolve' | 'download';
  /** Seconds until the callback deadline (>= 1). */
  readonly callbackTimeoutSeconds: number;
  /** Map concurrency of DownloadFiles. */
  readonly maxConcurrency: number;
  /** Files of this size (bytes) or larger, or of unknown size, go to the large-file runner. */
  readonly largeFileThreshold: number;
}

/** Outcome of {@link WorkflowEngine.startExecution}. */
export interface StartExecutionResult {
  readonly executionId: string;
  /** False when an execution with this name already existed (nothing new was started). */
  readonly started: boolean;
}

/** Drives executions and relays task-token callbacks. */
export interface WorkflowEngine {
  /** Starts an execution named `name` (the delivery id); idempotent by name. */
  startExecution(name: string, input: DeliveryExecutionInput): Promise<StartExecutionResult>;
  /**
   * Completes the `waitForTaskToken` task holding `token` with `output`.
   * @returns false when no task waits for this token (already completed, timed out, or unknown)
   */
  sendTaskSuccess(token: string, output: JsonValue): Promise<boolean>;
  /** Fails the task holding `token` with an error name and cause. */
  sendTaskFailure(token: string, error: string, cause: string): Promise<boolean>;
}
