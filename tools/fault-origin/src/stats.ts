/** What the origin did for one request. */
export interface RequestRecord {
  /** 1-based, in arrival order. */
  readonly id: number;
  readonly method: string;
  /** Path and query as requested. */
  readonly url: string;
  /** The `Range` header asked for, if any. */
  readonly range?: string;
  /** The `If-Range` header sent, if any. */
  readonly ifRange?: string;
  /** The client's port: requests with the same value came over the same connection. */
  readonly clientPort: number;
  /** Every request header as received (lower-case names). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The `Accept-Encoding` header sent, if any. */
  readonly acceptEncoding?: string;
  /** Status sent (0 until the headers are sent). */
  status: number;
  /** ETag of the version whose bytes were sent (undefined for responses without a body of the resource). */
  etag?: string;
  /** Body bytes written to the socket for this request. */
  bytes: number;
  /** Faults that were active (bit) on this request, as `mode` names. */
  readonly faults: string[];
  /** True when the body was sent in full and the response ended normally. */
  completed: boolean;
}

/** Counters of an origin since start or the last `resetStats()`. */
export interface OriginStats {
  /** Requests received. */
  readonly requests: number;
  /** Body bytes written, all requests together. */
  readonly bytesServed: number;
  /** One record per request, in arrival order. */
  readonly perRequest: ReadonlyArray<Readonly<RequestRecord>>;
}

/** Mutable stats owned by one origin. */
export class StatsRecorder implements OriginStats {
  #records: RequestRecord[] = [];

  get requests(): number {
    return this.#records.length;
  }

  get bytesServed(): number {
    let total = 0;
    for (const record of this.#records) total += record.bytes;
    return total;
  }

  get perRequest(): ReadonlyArray<Readonly<RequestRecord>> {
    return this.#records;
  }

  start(
    method: string,
    url: string,
    clientPort: number,
    headers: Readonly<Record<string, string | string[] | undefined>>,
    picked: { range?: string; ifRange?: string; acceptEncoding?: string },
  ): RequestRecord {
    const record: RequestRecord = {
      id: this.#records.length + 1,
      method,
      url,
      clientPort,
      headers,
      ...picked,
      status: 0,
      bytes: 0,
      faults: [],
      completed: false,
    };
    this.#records.push(record);
    return record;
  }

  reset(): void {
    this.#records = [];
  }
}
