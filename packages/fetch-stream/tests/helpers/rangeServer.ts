import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it. */
export interface SeenRequest {
  readonly path: string;
  readonly range: string | undefined;
  readonly ifRange: string | undefined;
  readonly acceptEncoding: string | undefined;
  status: number;
  /** Body bytes written for this request (what left the server, even if the client dropped it). */
  bytes: number;
}

/** A small, well-behaved origin on 127.0.0.1: ranges, strong ETags, If-Range, redirects. */
export interface RangeServer {
  readonly origin: string;
  readonly requests: SeenRequest[];
  /** Body bytes sent over all requests. */
  bytesServed(): number;
  /** Publishes (or replaces: new ETag) a file at `/name`; `slowMs` pauses after each 64 KiB. */
  put(name: string, data: Buffer, slowMs?: number): void;
  /** `/path` answers `status` with an empty body. */
  fail(path: string, status: number): void;
  /** Range requests of `/path` starting at byte `start` get their headers and then no body, ever. */
  stallAt(path: string, start: number): void;
  /** `/from` answers `status` with Location `to` (absolute or path). */
  redirect(from: string, to: string, status?: number): void;
  url(path: string): string;
  close(): Promise<void>;
}

export function randomFile(size: number): { data: Buffer; sha256: string } {
  const data = randomBytes(size);
  return { data, sha256: createHash('sha256').update(data).digest('hex') };
}

/** Starts the server on an ephemeral loopback port. */
export async function startRangeServer(): Promise<RangeServer> {
  const files = new Map<string, { data: Buffer; etag: string; slowMs: number }>();
  const failures = new Map<string, number>();
  const redirects = new Map<string, { to: string; status: number }>();
  const stalls = new Map<string, Set<number>>();
  const requests: SeenRequest[] = [];
  let version = 0;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const seen: SeenRequest = {
      path,
      range: req.headers.range,
      ifRange: req.headers['if-range'] as string | undefined,
      acceptEncoding: req.headers['accept-encoding'],
      status: 0,
      bytes: 0,
    };
    requests.push(seen);
    const redirect = redirects.get(path);
    if (redirect) {
      seen.status = redirect.status;
      res.writeHead(redirect.status, { location: redirect.to, 'content-length': '0' }).end();
      return;
    }
    const failure = failures.get(path);
    if (failure !== undefined) {
      seen.status = failure;
      res.writeHead(failure, { 'content-length': '0' }).end();
      return;
    }
    const file = files.get(path);
    if (!file) {
      seen.status = 404;
      res.writeHead(404, { 'content-length': '0' }).end();
      return;
    }
    const total = file.data.length;
    const common = {
      etag: file.etag,
      'accept-ranges': 'bytes',
      'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT',
    };
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const ifRangeOk = seen.ifRange === undefined || seen.ifRange === file.etag;
    if (range && ifRangeOk) {
      const start = Number(range[1]);
      const end = range[2] === '' ? total - 1 : Math.min(Number(range[2]), total - 1);
      if (start >= total || end < start) {
        seen.status = 416;
        res.writeHead(416, { ...common, 'content-range': `bytes */${total}`, 'content-length': '0' }).end();
        return;
      }
      seen.status = 206;
      res.writeHead(206, {
        ...common,
        'content-range': `bytes ${start}-${end}/${total}`,
        'content-length': String(end - start + 1),
      });
      if (stalls.get(path)?.has(start)) {
        res.flushHeaders();
        return;
      }
      send(res, file.data.subarray(start, end + 1), seen, file.slowMs);
      return;
    }
    seen.status = 200;
    res.writeHead(200, { ...common, 'content-length': String(total) });
    send(res, file.data, seen, file.slowMs);
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    requests,
    bytesServed: () => requests.reduce((n, r) => n + r.bytes, 0),
    put: (name, data, slowMs = 0) => {
      version++;
      files.set(`/${name}`, { data, etag: `"v${version}-${data.length}"`, slowMs });
    },
    fail: (path, status) => {
      failures.set(path, status);
    },
    stallAt: (path, start) => {
      const set = stalls.get(path) ?? new Set<number>();
      set.add(start);
      stalls.set(path, set);
    },
    redirect: (from, to, status = 302) => {
      redirects.set(from, { to, status });
    },
    url: (path) => `${origin}${path.startsWith('/') ? path : `/${path}`}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes in 64 KiB slices honouring backpressure, so a client that stops reading stops the count. */
function send(res: ServerResponse, body: Buffer, seen: SeenRequest, slowMs: number): void {
  let pos = 0;
  const step = 64 * 1024;
  const next = (): void => {
    if (slowMs > 0) setTimeout(pump, slowMs);
    else pump();
  };
  const pump = (): void => {
    while (pos < body.length) {
      if (res.destroyed) return;
      const chunk = body.subarray(pos, pos + step);
      pos += chunk.length;
      seen.bytes += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', next);
        return;
      }
      if (slowMs > 0) {
        setTimeout(pump, slowMs);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => res.off('drain', next));
  pump();
}
