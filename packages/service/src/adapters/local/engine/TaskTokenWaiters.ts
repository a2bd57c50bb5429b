/** The bridge between SendTaskSuccess/SendTaskFailure and tasks waiting in the embedded engine. */
import type { JsonValue } from '../../../ports/WorkflowEngine.js';

/** Rejection of a waiting task by `sendTaskFailure`: its `name` is what Catch rules match. */
export class TaskFailedByCallerError extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

interface Waiter {
  readonly resolve: (value: JsonValue) => void;
  readonly reject: (error: Error) => void;
}

/** Pending `waitForTaskToken` tasks by token. */
export class TaskTokenWaiters {
  readonly #waiters = new Map<string, Waiter>();

  /** Registers a waiting task; the promise settles on success/failure/cancel for `token`. */
  wait(token: string): Promise<JsonValue> {
    return new Promise<JsonValue>((resolve, reject) => {
      this.#waiters.set(token, { resolve, reject });
    });
  }

  succeed(token: string, output: JsonValue): boolean {
    const waiter = this.#waiters.get(token);
    if (waiter === undefined) return false;
    this.#waiters.delete(token);
    waiter.resolve(output);
    return true;
  }

  fail(token: string, error: Error): boolean {
    const waiter = this.#waiters.get(token);
    if (waiter === undefined) return false;
    this.#waiters.delete(token);
    waiter.reject(error);
    return true;
  }

  /** Forgets a token whose task is gone (timed out, execution ended) without settling it again. */
  drop(token: string): void {
    this.#waiters.delete(token);
  }

  get size(): number {
    return this.#waiters.size;
  }
}
