import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import {
  AbortedError,
  FetchStreamError,
  InvalidOptionsError,
  NetworkError,
  StaleConnectionError,
  TimeoutError,
  TlsCertificateError,
} from '../errors.js';
import type { ApprovedAddress } from './guardedLookup.js';
import type { ConnectionPool } from './h1/ConnectionPool.js';
import { FIELD_NAME, FIELD_VALUE } from './h1/fieldSyntax.js';
import type { BodyConsumer, ConnectTarget, H1Connection, ReadOutcome } from './h1/H1Connection.js';
import type { ResponseHead } from './h1/responseHead.js';

export type { BodyConsumer, ReadOutcome } from './h1/H1Connection.js';

export interface RequestTimeouts {
  readonly connect: number;
  readonly responseHeaders: number;
}

export interface SendOptions {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly pool: ConnectionPool;
  readonly timeouts: RequestTimeouts;
  readonly signal: AbortSignal;
  /** When set, connect exactly here (the guard approved it). */
  readonly approved: ApprovedAddress | undefined;
}

/** Status and headers of a response whose body may not have been read yet. */
export interface HttpResponse {
  readonly statusCode: number;
  readonly statusMessage: string;
  /** Lower-cased names. */
  readonly headers: IncomingHttpHeaders;
  /** True once the whole body (by its framing) has arrived. */
  readonly complete: boolean;
  /** Discards the body: the connection is closed unless the body already ended. */
  resume(): void;
}

/** A response whose body has not been read yet, with the means to stop it. */
export interface Exchange {
  readonly url: URL;
  readonly res: HttpResponse;
  /**
   * Delivers the body (see {@link BodyConsumer} for how long a view stays valid) until it
   * ends or {@link detach} is called. Rejects on a socket error or the consumer's error.
   */
  read(consume: BodyConsumer): Promise<ReadOutcome>;
  /** Stops the current `read` (it resolves 'detached'); unread bytes wait for the next one. */
  detach(): void;
  /** Stops the request and closes its connection; a pending `read` rejects with `reason`. */
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
 * response-header timeouts and the abort signal close the connection with a typed error.
 * A reused keep-alive connection that the server closed before answering is replaced by a
 * new one once (a GET is safe to resend).
 */
export async function sendRequest(opts: SendOptions): Promise<Exchange> {
  if (opts.signal.aborted) throw abortReason(opts.signal);
  const target = targetOf(opts.url, opts.approved);
  const head = requestHead(opts.url, opts.headers);
  try {
    return await attempt(opts, target, head, false);
  } catch (err) {
    if (!(err instanceof StaleConnectionError)) throw err;
    return await attempt(opts, target, head, true);
  }
}

async function attempt(
  opts: SendOptions,
  target: ConnectTarget,
  head: string,
  fresh: boolean,
): Promise<Exchange> {
  const { url, signal } = opts;
  let conn: H1Connection;
  try {
    conn = await opts.pool.acquire(target, signal, fresh);
  } catch (err) {
    throw signal.aborted ? abortReason(signal) : toFetchStreamError(err, url);
  }
  let current = signal;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = (): void => conn.destroy(abortReason(current));
  // The signal may have fired while a connection was being found: no event will come now.
  if (current.aborted) {
    conn.destroy(abortReason(current));
    throw abortReason(current);
  }
  current.addEventListener('abort', onAbort, { once: true });
  const dispose = (): void => {
    if (timer) clearTimeout(timer);
    current.removeEventListener('abort', onAbort);
  };
  const arm = (kind: 'connect' | 'responseHeaders', ms: number): void => {
    if (timer) clearTimeout(timer);
    timer = ms > 0 ? setTimeout(() => conn.destroy(new TimeoutError(kind, ms)), ms) : undefined;
  };
  let response: { head: ResponseHead; ended: boolean };
  try {
    if (conn.busy) {
      arm('connect', opts.timeouts.connect);
      await conn.ready();
    }
    arm('responseHeaders', opts.timeouts.responseHeaders);
    response = await conn.request(head);
    if (timer) clearTimeout(timer);
  } catch (err) {
    dispose();
    conn.destroy(err instanceof Error ? err : new Error(String(err)));
    if (err instanceof StaleConnectionError) throw err;
    throw toFetchStreamError(err, url);
  }
  return exchangeOver(conn, url, response.head, response.ended, dispose, (next) => {
    current.removeEventListener('abort', onAbort);
    current = next;
    if (next.aborted) onAbort();
    else next.addEventListener('abort', onAbort, { once: true });
  });
}

function exchangeOver(
  conn: H1Connection,
  url: URL,
  head: ResponseHead,
  bodyless: boolean,
  dispose: () => void,
  rebind: (signal: AbortSignal) => void,
): Exchange {
  // Once the body has ended the connection may serve someone else: this exchange must not
  // touch it any more.
  let ended = bodyless;
  let prefetched: Buffer[] = [];
  let prefetchError: unknown;
  let prefetching: { wake: () => void; done: Promise<unknown> } | undefined;
  const read = async (consume: BodyConsumer): Promise<ReadOutcome> => {
    if (ended) return 'ended';
    const outcome = await conn.read(consume);
    if (outcome === 'ended') ended = true;
    return outcome;
  };
  const destroy = (reason: Error): void => {
    if (!ended) conn.destroy(reason);
  };
  const res: HttpResponse = {
    statusCode: head.statusCode,
    statusMessage: head.statusMessage,
    headers: head.headers,
    get complete() {
      return ended;
    },
    resume: () => destroy(new Error('body not wanted')),
  };
  return {
    url,
    res,
    read,
    detach: () => {
      if (!ended) conn.detach();
    },
    destroy,
    dispose,
    rebind,
    prefetch: (maxBytes) => {
      if (prefetching !== undefined) return;
      let bytes = 0;
      let wake: () => void = () => undefined;
      const done = read((view) => {
        prefetched.push(Buffer.from(view));
        bytes += view.length;
        if (bytes < maxBytes) return undefined;
        return new Promise<void>((resolve) => {
          wake = resolve;
        });
      }).catch((err: unknown) => {
        prefetchError ??= err;
      });
      prefetching = { wake: () => wake(), done };
    },
    takePrefetched: () => {
      if (prefetching !== undefined) {
        if (!ended) conn.detach();
        prefetching.wake();
        prefetching = undefined;
      }
      const out = { chunks: prefetched, error: prefetchError };
      prefetched = [];
      prefetchError = undefined;
      return out;
    },
  };
}

function targetOf(url: URL, approved: ApprovedAddress | undefined): ConnectTarget {
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const secure = url.protocol === 'https:';
  return {
    secure,
    address: approved?.address ?? hostname,
    port: url.port !== '' ? Number(url.port) : secure ? 443 : 80,
    servername: secure && isIP(hostname) === 0 ? hostname : undefined,
  };
}

function requestHead(url: URL, headers: Readonly<Record<string, string>>): string {
  let head = `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (!FIELD_NAME.test(name) || !FIELD_VALUE.test(value) || name.toLowerCase() === 'host') {
      throw new InvalidOptionsError(`Invalid request header ${JSON.stringify(name)}.`);
    }
    head += `${name}: ${value}\r\n`;
  }
  return `${head}\r\n`;
}

/** Maps socket errors to typed errors; keeps typed ones as they are. */
export function toFetchStreamError(err: unknown, url?: URL): FetchStreamError {
  if (err instanceof FetchStreamError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e?.code !== undefined && isCertificateError(e.code))
    return new TlsCertificateError(url?.host ?? 'the server', e.code, err);
  const where = url ? ` talking to ${url.host}` : '';
  return new NetworkError(`Network error${where}: ${e?.code ?? e?.message ?? String(err)}.`, err);
}

// OpenSSL's verification codes as Node reports them, and Node's own host-name check.
function isCertificateError(code: string): boolean {
  return (
    code.startsWith('CERT_') ||
    code.includes('SELF_SIGNED') ||
    code.startsWith('UNABLE_TO_') ||
    code === 'ERR_TLS_CERT_ALTNAME_INVALID' ||
    code === 'HOSTNAME_MISMATCH'
  );
}

/** The typed error for an aborted signal (the signal's reason when it is already typed). */
export function abortReason(signal: AbortSignal): FetchStreamError {
  const r: unknown = signal.reason;
  return r instanceof FetchStreamError ? r : new AbortedError(r);
}
