/**
 * A small loopback file origin for workflow tests: serves fixed bodies with HEAD, Range/206 and
 * strong ETags, counts requests and body bytes per path, and can fail or slow down a path.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How one path behaves. */
export interface OriginFile {
  readonly body: Buffer;
  /** Answer every request with this status instead (e.g. 404, 503). */
  readonly status?: number;
  /** Pause between 64 KiB chunks, in ms (to have a download in flight when a test needs one). */
  readonly chunkDelayMs?: number;
  /** Answer 302 with this Location instead. */
  readonly redirectTo?: string;
}

export interface Origin {
  readonly port: number;
  url(path: string): string;
  /** GET requests per path (HEAD not counted). */
  gets(path: string): number;
  /** Body bytes sent per path. */
  bytesSent(path: string): number;
  set(path: string, file: OriginFile): void;
  close(): Promise<void>;
}

const CHUNK = 64 * 1024;

export async function startOrigin(files: Record<string, OriginFile>): Promise<Origin> {
  const table = new Map(Object.entries(files));
  const getCounts = new Map<string, number>();
  const sent = new Map<string, number>();

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = table.get(path);
    if (req.method === 'GET') getCounts.set(path, (getCounts.get(path) ?? 0) + 1);
    if (file === undefined) {
      res.writeHead(404).end();
      return;
    }
    if (file.redirectTo !== undefined) {
      res.writeHead(302, { location: file.redirectTo }).end();
      return;
    }
    if (file.status !== undefined) {
      res.writeHead(file.status, { 'retry-after': '0' }).end();
      return;
    }
    const size = file.body.length;
    const etag = `"${size}-${file.body.subarray(0, 8).toString('hex')}"`;
    let start = 0;
    let end = size - 1;
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    if (range?.[1] !== undefined && (ifRange === undefined || ifRange === etag)) {
      start = Number(range[1]);
      end = range[2] === undefined || range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1);
      if (start >= size) {
        res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
        return;
      }
      status = 206;
    }
    res.writeHead(status, {
      'content-length': String(end - start + 1),
      'accept-ranges': 'bytes',
      etag,
      ...(status === 206 ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    for (let offset = start; offset <= end && !res.destroyed; offset += CHUNK) {
      const chunk = file.body.subarray(offset, Math.min(offset + CHUNK, end + 1));
      if (!res.write(chunk)) await once(res, 'drain').catch(() => undefined);
      sent.set(path, (sent.get(path) ?? 0) + chunk.length);
      if (file.chunkDelayMs !== undefined)
        await new Promise((resolve) => setTimeout(resolve, file.chunkDelayMs));
    }
    res.end();
  };

  const server = createServer((req, res) => {
    serve(req, res).catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    gets: (path) => getCounts.get(path) ?? 0,
    bytesSent: (path) => sent.get(path) ?? 0,
    set: (path, file) => table.set(path, file),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}
