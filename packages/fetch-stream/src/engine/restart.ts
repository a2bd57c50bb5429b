import type { Exchange } from '../http/request.js';

/** Why the current transfer must start again from byte 0. */
export type RestartReason = 'changed' | 'rangesIgnored' | 'staleJournal' | 'streamBroken';

/** Internal control flow: stop every connection of this attempt and start over. Never escapes `download`. */
export class RestartRequest extends Error {
  constructor(
    readonly reason: RestartReason,
    override readonly cause?: unknown,
    /** A 200 with the whole (possibly new) representation: the next attempt streams it from 0. */
    readonly carried?: Exchange,
  ) {
    super(`restart: ${reason}`);
    this.name = 'RestartRequest';
  }
}
