/**
 * SIGINT and SIGTERM abort the run (which saves its state); once the CLI has said its last
 * words it re-raises the signal, so a shell loop or a supervisor sees a death by signal (bash
 * stops a `for` loop only then, not on a plain exit status 130). A second signal does not wait.
 */
export class Interrupts {
  private received: NodeJS.Signals | undefined;
  private readonly handlers = new Map<NodeJS.Signals, () => void>();

  constructor(onFirst: (signal: NodeJS.Signals) => void) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const handler = (): void => {
        if (this.received !== undefined) {
          this.reraise();
          return;
        }
        this.received = signal;
        onFirst(signal);
      };
      this.handlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  /** The first signal received, if any. */
  get signal(): NodeJS.Signals | undefined {
    return this.received;
  }

  /** Stops listening; re-raises the received signal (the process then dies of it). */
  reraise(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler);
    this.handlers.clear();
    if (this.received !== undefined) process.kill(process.pid, this.received);
  }
}
