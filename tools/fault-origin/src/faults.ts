/**
 * The failure modes of the fault origin. One mode per failure; several faults may be combined
 * on one request (for example `wrong-bytes` with a correct `digest`, or `throttle` with anything).
 *
 * `times` (where present) limits a fault to the first K requests it can bite (see README);
 * omitted, it applies to every such request.
 */
export type Fault =
  /** Explicitly no fault: overrides a per-path configuration for this request. */
  | { readonly mode: 'none' }
  /** Sends `afterBytes` body bytes, then resets the TCP connection (RST). */
  | { readonly mode: 'reset'; readonly afterBytes: number; readonly times?: number }
  /** Sends `afterBytes` body bytes, then sends nothing for `stallMs`, then the rest. */
  | { readonly mode: 'stall'; readonly afterBytes: number; readonly stallMs: number; readonly times?: number }
  /** Paces every body at `bytesPerSecond` (per response). Makes downloads last long enough to interrupt. */
  | { readonly mode: 'throttle'; readonly bytesPerSecond: number }
  /** Answers `status` (503, 429, ...) with an empty body and optional `Retry-After`. */
  | {
      readonly mode: 'status';
      readonly status: number;
      /** Seconds to wait; sent as a number, or as an HTTP-date that far in the future. */
      readonly retryAfter?: number;
      readonly retryAfterFormat?: 'seconds' | 'date';
      /**
       * Also refuse (with the time left) every request that arrives before the announced
       * Retry-After moment, recorded as `status-early`: a client that ignores Retry-After shows up
       * in the counts, with no timing assertion in the test.
       */
      readonly enforce?: boolean;
      readonly times?: number;
    }
  /** Ignores `Range`: always 200 with the full body. */
  | { readonly mode: 'ignore-range'; readonly times?: number }
  /** 206 whose Content-Range (and body) start `shift` bytes away from the start asked for. */
  | { readonly mode: 'wrong-range-start'; readonly shift: number; readonly times?: number }
  /** 206 with at most `maxBytes` bytes, Content-Range saying so honestly (ends early). */
  | { readonly mode: 'short-206'; readonly maxBytes: number; readonly times?: number }
  /**
   * 206 that starts `bytes` before the byte asked for (clamped at 0), same end, Content-Range
   * saying so honestly: what servers and caches that round ranges down to a block boundary send.
   * Bites ranged GETs that do not start at byte 0.
   */
  | { readonly mode: 'early-start'; readonly bytes: number; readonly times?: number }
  /**
   * 206 that ends `bytes` after the last byte asked for (clamped at the size), Content-Range
   * saying so honestly: a range rounded up. Bites ranged GETs that do not already end at the end.
   */
  | { readonly mode: 'late-end'; readonly bytes: number; readonly times?: number }
  /**
   * The resource changes (new ETag, Last-Modified and bytes, same size) when GET number
   * `afterRequests + 1` arrives, or, with `cutAfterBytes`, the moment GET number `afterRequests`
   * has sent that many bytes (that connection is then closed). Fires once, unless `every`.
   */
  | {
      readonly mode: 'change';
      readonly afterRequests: number;
      readonly cutAfterBytes?: number;
      /** Keep changing: a new version at every counted GET after `afterRequests`, not only once. */
      readonly every?: boolean;
    }
  /**
   * Declares the full Content-Length, sends `missingBytes` fewer (or only `afterBytes`), then closes
   * gracefully (FIN): unlike a reset, every byte sent reaches the client.
   */
  | {
      readonly mode: 'long-content-length';
      readonly missingBytes?: number;
      readonly afterBytes?: number;
      readonly times?: number;
    }
  /** Chunked body cut after `afterBytes` bytes, closed without the terminating chunk. */
  | { readonly mode: 'truncated-chunked'; readonly afterBytes: number; readonly times?: number }
  /** gzip-encodes the body when the request allows gzip, or always with `force`. */
  | { readonly mode: 'gzip'; readonly force?: boolean; readonly times?: number }
  /** A chain of `hops` redirects ending at the resource itself. */
  | { readonly mode: 'redirect'; readonly hops: number; readonly status?: number }
  /** Redirects to itself forever. */
  | { readonly mode: 'redirect-loop'; readonly status?: number }
  /** Redirects to `location` (an absolute URL, for example another origin's). */
  | { readonly mode: 'redirect-to'; readonly location: string; readonly status?: number }
  /**
   * Sends the ETag as weak (`W/"..."`). A weak ETag never matches `If-Range` (RFC 9110), so a client
   * must fall back to Last-Modified there.
   */
  | { readonly mode: 'weak-etag' }
  /** Flips (XOR 0xff) the byte at absolute `offset` while every header stays correct. */
  | { readonly mode: 'wrong-bytes'; readonly offset: number; readonly times?: number }
  /** Declares the full representation's sha256 in `header`; `wrong` declares a wrong one. */
  | {
      readonly mode: 'digest';
      readonly header: 'repr-digest' | 'x-amz-checksum-sha256';
      readonly wrong?: boolean;
    };

/** Every mode name. */
export type FaultMode = Fault['mode'];

/** Serialises one fault as `mode:key=value,key=value` (the value of one `f` query parameter). */
export function formatFault(fault: Fault): string {
  const params = Object.entries(fault)
    .filter(([key, value]) => key !== 'mode' && value !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`);
  return params.length > 0 ? `${fault.mode}:${params.join(',')}` : fault.mode;
}

/** Appends faults to a path as `f` query parameters. */
export function withFaults(path: string, faults: Fault | ReadonlyArray<Fault> | undefined): string {
  const list = faults === undefined ? [] : Array.isArray(faults) ? faults : [faults as Fault];
  if (list.length === 0) return path;
  const query = new URLSearchParams();
  for (const fault of list) query.append('f', formatFault(fault));
  return `${path}${path.includes('?') ? '&' : '?'}${query.toString()}`;
}
