import autocannon from 'autocannon';

/** What one autocannon run measured, reduced to what the benchmarks report. */
export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly requests: number;
  /** Responses per HTTP status code. */
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly timeouts: number;
  readonly durationSeconds: number;
}

/** One request template; `setupRequest` may rewrite it per request (path, headers, body). */
export interface LoadRequest {
  readonly method: 'POST' | 'GET';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly setupRequest?: (request: autocannon.Request) => autocannon.Request;
}

/**
 * Runs autocannon in this process against `url` (loopback) for `seconds`, or for exactly `amount`
 * requests. Keep-alive connections, no pipelining: each connection waits for its answer, as a
 * provider's HTTP client does.
 */
export async function loadTest(options: {
  readonly url: string;
  readonly request: LoadRequest;
  readonly connections: number;
  readonly seconds?: number;
  readonly amount?: number;
}): Promise<LoadResult> {
  const { request } = options;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    pipelining: 1,
    ...(options.amount === undefined ? { duration: options.seconds ?? 10 } : { amount: options.amount }),
    requests: [
      {
        method: request.method,
        path: request.path,
        ...(request.headers === undefined ? {} : { headers: request.headers }),
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(request.setupRequest === undefined ? {} : { setupRequest: request.setupRequest }),
      },
    ],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = (stats as { count: number }).count;
  }
  const durationSeconds = result.duration;
  return {
    requestsPerSecond: Math.round(result.requests.total / durationSeconds),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    requests: result.requests.total,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSeconds,
  };
}
