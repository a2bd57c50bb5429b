import { FetchStreamError } from '../errors.js';
import { EXIT } from './exitCodes.js';

/**
 * What a failed run says last, one line each: the failure (with how often it was tried), and
 * for a failure a rerun could overcome, whether a rerun resumes or starts over — true to what
 * was kept, never a promise the server's lack of ranges would break.
 */
export function lastWords(err: unknown, exitCode: number): string[] {
  const typed = err instanceof FetchStreamError ? err : undefined;
  const message = err instanceof Error ? err.message : String(err);
  const attempts = typed?.attempts ?? 1;
  const lines = [attempts > 1 ? `gave up after ${attempts} attempts: ${message}` : message];
  if (exitCode === EXIT.network || exitCode === EXIT.interrupted) {
    lines.push(
      typed?.resumable === true
        ? 'The parts already stored are kept: run the same command again to resume.'
        : 'Nothing was kept for a resume (no part stored, or the server does not support ranges): a rerun starts from the beginning.',
    );
  }
  return lines;
}

/** The error as a JSON value, for `--json` results and JSON-lines stderr. */
export function errorJson(err: unknown): Record<string, unknown> {
  const typed = err instanceof FetchStreamError ? err : undefined;
  return {
    name: typed?.name ?? 'Error',
    code: typed?.code ?? 'INTERNAL',
    message: err instanceof Error ? err.message : String(err),
    ...(typed?.attempts !== undefined ? { attempts: typed.attempts } : {}),
    ...(typed?.resumable !== undefined ? { resumable: typed.resumable } : {}),
  };
}
