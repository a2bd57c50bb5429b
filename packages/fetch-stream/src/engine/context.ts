import { setTimeout as delay } from 'node:timers/promises';
import { FetchStreamError, HttpStatusError } from '../errors.js';
import type { ConnectionPool } from '../http/h1/ConnectionPool.js';
import { getFollowingRedirects } from '../http/redirects.js';
import { abortReason, type Exchange } from '../http/request.js';
import type { Settings } from '../options.js';
import { backoffDelay } from '../retry/backoff.js';
import type { ResourceValidators } from '../types.js';
import { RestartRequest } from './restart.js';

/** State shared by every connection of one download. */
export class DownloadContext {
  /** URL requests start from; replaced when `refreshUrl` supplies a new one. */
  url: URL;
  /** Final URL (after redirects) of the latest response. */
  lastUrl: string;
  requests = 0;
  retries = 0;
  active = 0;
  maxActive = 0;
  /** Validators of the version being downloaded (set by the probe). */
  validators: ResourceValidators = {};
  total: number | undefined;
  /** The current attempt uses ranges (so what is stored survives for a resume). */
  ranged = false;

  constructor(
    readonly settings: Settings,
    readonly pool: ConnectionPool,
    url: URL,
  ) {
    this.url = url;
    this.lastUrl = url.href;
    this.credentialOrigin = url.origin;
  }

  /** Credential headers go to this origin only: the URL the download was started with. */
  private readonly credentialOrigin: string;

  /** Sends a GET (following redirects) with the engine's fixed headers plus `extra`. */
  async get(signal: AbortSignal, extra: Record<string, string>): Promise<Exchange> {
    const ex = await getFollowingRedirects(this.url, {
      headers: {
        'user-agent': 'fetch-stream',
        ...this.settings.headers,
        ...extra,
        'accept-encoding': 'identity',
      },
      credentialHeaders: this.settings.credentialHeaders,
      credentialOrigin: this.credentialOrigin,
      pool: this.pool,
      timeouts: this.settings.timeouts,
      signal,
      guard: this.settings.connectGuard,
      maxRedirects: this.settings.maxRedirects,
      onRequest: () => {
        this.requests++;
      },
    });
    this.lastUrl = ex.url.href;
    return ex;
  }

  /** Counts a connection as transferring while `fn` runs. */
  async transferring<T>(fn: () => Promise<T>): Promise<T> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      return await fn();
    } finally {
      this.active--;
    }
  }

  /**
   * Runs `attempt` until it succeeds, retrying retryable errors with backoff. The failure
   * count resets when an attempt reports durable progress (a committed part), so a long
   * download over a flaky link keeps going while a dead one gives up after `retries`.
   */
  async withRetries<T>(signal: AbortSignal, attempt: (progressed: () => void) => Promise<T>): Promise<T> {
    let failures = 0;
    for (;;) {
      let progressed = false;
      try {
        return await attempt(() => {
          progressed = true;
        });
      } catch (raw) {
        if (raw instanceof RestartRequest) throw raw;
        if (signal.aborted) throw abortReason(signal);
        // Only typed errors are judged; anything else (a sink's file-system error) is not ours to retry.
        if (!(raw instanceof FetchStreamError)) throw raw;
        const err = raw;
        if (progressed) failures = 0;
        if (err instanceof HttpStatusError && (err.status === 403 || err.status === 410)) {
          const fresh = await this.refresh(err, failures);
          if (fresh === undefined || failures >= this.settings.retries) throw gaveUp(err, failures);
          this.url = fresh;
          failures++;
          this.retries++;
          continue;
        }
        if (!err.retryable || failures >= this.settings.retries) throw gaveUp(err, failures);
        const wait = backoffDelay(
          failures,
          this.settings,
          err instanceof HttpStatusError ? err.retryAfterMs : undefined,
        );
        failures++;
        this.retries++;
        try {
          await delay(wait, undefined, { signal });
        } catch {
          throw abortReason(signal);
        }
      }
    }
  }

  private async refresh(err: HttpStatusError, attempt: number): Promise<URL | undefined> {
    const hook = this.settings.refreshUrl;
    if (hook === undefined) return undefined;
    let next: string | undefined;
    try {
      next = await hook({ url: this.url.href, status: err.status, attempt });
    } catch (cause) {
      throw new FetchStreamError(`refreshUrl threw: ${(cause as Error)?.message ?? String(cause)}`, {
        code: 'HTTP_STATUS',
        retryable: false,
        cause,
      });
    }
    return next === undefined ? undefined : new URL(next);
  }
}

/** Records on the error how often its request was tried (the failures before it, plus it). */
function gaveUp(err: FetchStreamError, failures: number): FetchStreamError {
  err.attempts = Math.max(err.attempts ?? 0, failures + 1);
  return err;
}
