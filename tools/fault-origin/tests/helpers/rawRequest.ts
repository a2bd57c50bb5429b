import { createHash } from 'node:crypto';
import { request } from 'node:http';

/** What a plain node:http client saw of one exchange. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Raw body bytes as received (never decoded). */
  readonly body: Buffer;
  /** True when the body ended normally (not aborted by the server). */
  readonly complete: boolean;
  /** Error code when the connection failed mid-body (for example ECONNRESET). */
  readonly errorCode?: string;
  /** Milliseconds from request to end. */
  readonly elapsedMs: number;
}

/** One HTTP request with node:http, no agent reuse, no decoding: what is on the wire. */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let errorCode: string | undefined;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error: NodeJS.ErrnoException) => {
          errorCode = error.code ?? error.message;
        });
        res.on('close', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            complete: res.complete && errorCode === undefined,
            errorCode,
            elapsedMs: Date.now() - started,
          });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
