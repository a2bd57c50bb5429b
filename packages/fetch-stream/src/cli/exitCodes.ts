import { FetchStreamError, HttpStatusError } from '../errors.js';

/** Process exit codes of the CLI (documented in --help and the README). */
export const EXIT = {
  ok: 0,
  usage: 2,
  network: 3,
  httpRefused: 4,
  verification: 5,
  interrupted: 130,
} as const;

/** Maps a failure to its exit code. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof HttpStatusError && err.status >= 400 && err.status < 500 && !err.retryable)
    return EXIT.httpRefused;
  if (err instanceof FetchStreamError) {
    if (err.code === 'CHECKSUM_MISMATCH') return EXIT.verification;
    if (err.code === 'ABORTED') return EXIT.interrupted;
    if (err.code === 'INVALID_OPTIONS' || err.code === 'USAGE') return EXIT.usage;
  }
  return EXIT.network;
}
