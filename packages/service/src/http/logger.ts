/** Structured JSON logs: one object per line, with the delivery id when there is one. */

/** Fields of one log line. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** What the HTTP layer logs through. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * A logger that writes `{"time","level","msg",...fields}` lines.
 *
 * @param write - where lines go. @default process.stdout
 */
export function createJsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const log =
    (level: string) =>
    (message: string, fields: LogFields = {}) => {
      write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`);
    };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
