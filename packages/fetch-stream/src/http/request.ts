import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { AbortedError, FetchStreamError, NetworkError, TimeoutError } from '../errors.js';
import type { ApprovedAddress } from './guardedLookup.js';
import { pinnedLookup } from './guardedLookup.js';

/** Keep-alive agents for one download: sockets are reused across parts, capped per host. */
export interface Agents {
  readonly http: http.Agent;
  readonly https: https.Agent;
}

export function createAgents(maxSocketsPerHost: number): Agents {
  return {
    http: new http.Agent({ keepAlive: true, maxSockets: maxSocketsPerHost }),
    https: new https.Agent({ keepAlive: true, maxSockets: maxSocketsPerHost }),
  };
}

export interface RequestTimeouts {
  readonly connect: number;
  readonly responseHeaders: number;
}

export interface SendOptions {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly agents: Agents;
  readonly timeouts: RequestTimeouts;
  readonly signal: AbortSignal;
  /** When set, connect exactly here (the guard approved it). */
  readonly approved: ApprovedAddress | undefined;
}

/** A response whose body has not been read yet, with the means to stop it. */
export interface Exchange {
  readonly url: URL;
  readonly req: ClientRequest;
  readonly res: IncomingMessage;
  /** Stops the request and its socket; the body iterator then throws `reason`. */
  destroy(reason: Error): void;
  /** Removes listeners; call once the body is done or abandoned. */
  dispose(): void;
  /** Moves the abort listener to another signal (the response outlives the attempt that sent it). */
  rebind(signal: AbortSignal): void;
  /**
   * Keeps reading the body into memory (at most `maxBytes`, then pauses) while nobody consumes
   * it, e.g. while a carried response is handed to the next attempt: bytes that already
   * arrived are not lost if the server then resets the connection.
   */
  prefetch(maxBytes: number): void;
  /** Stops prefetching and returns what was read (and the error that ended it, if any). */
  takePrefetched(): { chunks: Buffer[]; error: unknown };
}

/**
 * Sends one GET and resolves at the response headers. Never decompresses. Connect and
 * response-header timeouts and the abort signal destroy the request with a typed error.
 */
export function sendRequest(opts: SendOptions): Promise<Exchange> {
  const { url, signal } = opts;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  const secure = url.protocol === 'https:';
  return new Promise<Exchange>((resolve, reject) => {
    const req = (secure ? https : http).request({
      protocol: url.protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: opts.headers,
      agent: secure ? opts.agents.https : opts.agents.http,
      ...(opts.approved ? { lookup: pinnedLookup(opts.approved) } : {}),
    });
    let connectTimer: NodeJS.Timeout | undefined;
    let headersTimer: NodeJS.Timeout | undefined;
    const clearTimers = (): void => {
      if (connectTimer) clearTimeout(connectTimer);
      if (headersTimer) clearTimeout(headersTimer);
    };
    const startHeadersTimer = (): void => {
      if (opts.timeouts.responseHeaders > 0 && headersTimer === undefined) {
        headersTimer = setTimeout(
          () => req.destroy(new TimeoutError('responseHeaders', opts.timeouts.responseHeaders)),
          opts.timeouts.responseHeaders,
        );
      }
    };
    let current = signal;
    const onAbort = (): void => {
      req.destroy(abortReason(current));
    };
    current.addEventListener('abort', onAbort, { once: true });
    const dispose = (): void => {
      clearTimers();
      current.removeEventListener('abort', onAbort);
    };
    const rebind = (next: AbortSignal): void => {
      current.removeEventListener('abort', onAbort);
      current = next;
      if (next.aborted) onAbort();
      else next.addEventListener('abort', onAbort, { once: true });
    };

    req.on('socket', (socket) => {
      if (socket.connecting) {
        if (opts.timeouts.connect > 0) {
          connectTimer = setTimeout(
            () => req.destroy(new TimeoutError('connect', opts.timeouts.connect)),
            opts.timeouts.connect,
          );
        }
        socket.once(secure ? 'secureConnect' : 'connect', () => {
          if (connectTimer) clearTimeout(connectTimer);
          startHeadersTimer();
        });
      } else {
        startHeadersTimer();
      }
    });
    req.once('response', (res) => {
      if (headersTimer) clearTimeout(headersTimer);
      if (connectTimer) clearTimeout(connectTimer);
      let prefetched: Buffer[] = [];
      let prefetchError: unknown;
      let stopPrefetch: (() => void) | undefined;
      resolve({
        url,
        req,
        res,
        prefetch: (maxBytes) => {
          if (stopPrefetch) return;
          let bytes = 0;
          const onData = (chunk: Buffer): void => {
            prefetched.push(chunk);
            bytes += chunk.length;
            if (bytes >= maxBytes) res.pause();
          };
          const onError = (err: unknown): void => {
            prefetchError ??= err;
          };
          const onAborted = (): void => {
            prefetchError ??= new Error('aborted');
          };
          res.on('data', onData);
          res.on('error', onError);
          res.on('aborted', onAborted);
          stopPrefetch = () => {
            res.off('data', onData);
            res.off('error', onError);
            res.off('aborted', onAborted);
            res.pause();
          };
        },
        takePrefetched: () => {
          stopPrefetch?.();
          stopPrefetch = undefined;
          const out = { chunks: prefetched, error: prefetchError };
          prefetched = [];
          prefetchError = undefined;
          return out;
        },
        destroy: (reason) => {
          req.destroy(reason);
          res.destroy(reason);
        },
        dispose,
        rebind,
      });
    });
    req.once('error', (err) => {
      dispose();
      reject(toFetchStreamError(err, url));
    });
    req.end();
  });
}

/** Maps socket errors to typed errors; keeps typed ones as they are. */
export function toFetchStreamError(err: unknown, url?: URL): FetchStreamError {
  if (err instanceof FetchStreamError) return err;
  const e = err as NodeJS.ErrnoException;
  const where = url ? ` talking to ${url.host}` : '';
  return new NetworkError(
    `Network error${where}: ${e?.code ?? e?.message ?? String(err)}. It is retried.`,
    err,
  );
}

/** The typed error for an aborted signal (the signal's reason when it is already typed). */
export function abortReason(signal: AbortSignal): FetchStreamError {
  const r: unknown = signal.reason;
  return r instanceof FetchStreamError ? r : new AbortedError(r);
}
