/** Writes one JSON object per line; every line carries the time, the event and the delivery id. */
export class JsonLogger {
  private readonly write: (line: string) => void;
  private readonly base: Readonly<Record<string, unknown>>;

  constructor(write: (line: string) => void, deliveryId?: string) {
    this.write = write;
    this.base = deliveryId === undefined ? {} : { deliveryId };
  }

  /** Logs `event` with its fields. */
  log(level: 'info' | 'warn' | 'error', event: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, event, ...this.base, ...fields })}\n`,
    );
  }
}
