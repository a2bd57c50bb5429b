import type { IncomingMessage } from 'node:http';
import { type S3Operation, s3Operation } from './s3Operation.js';

/** One request the server received, as recorded before the server handled it. */
export interface S3RequestRecord {
  readonly operation: S3Operation;
  readonly method: string;
  /** Path only, e.g. `/bucket/some/key`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Lower-case header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** Response status, once the response finished (undefined while in flight or when the socket died). */
  status?: number;
}

/** Builds the record of one incoming request. */
export function recordRequest(req: IncomingMessage): S3RequestRecord {
  const url = new URL(req.url ?? '/', 'http://s3.local');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    operation: s3Operation(req.method ?? 'GET', url, req.headers),
    method: req.method ?? 'GET',
    path: decodeURIComponent(url.pathname),
    query: Object.fromEntries(url.searchParams),
    headers,
  };
}
