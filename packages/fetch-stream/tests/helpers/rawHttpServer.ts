import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';

/** One request as the raw server saw it. */
export interface RawRequest {
  readonly head: string;
  readonly range: { start: number; end: number } | undefined;
  /** 0-based index of the TCP connection it came on. */
  readonly connection: number;
  /** 0-based index of the request on that connection. */
  readonly onConnection: number;
}

/** Writes a whole response (or misbehaves) for one request. */
export type RawHandler = (req: RawRequest, socket: net.Socket) => void;

export interface RawHttpServer {
  readonly url: string;
  readonly requests: RawRequest[];
  connections(): number;
  close(): Promise<void>;
}

/**
 * A TCP server speaking just enough HTTP/1.1 to script exact bytes on the wire: keep-alive,
 * interim responses, broken framing, connections closed at chosen moments.
 */
export async function startRawHttpServer(handler: RawHandler): Promise<RawHttpServer> {
  const requests: RawRequest[] = [];
  const sockets = new Set<net.Socket>();
  let connectionCount = 0;
  const server = net.createServer((socket) => {
    const connection = connectionCount++;
    let onConnection = 0;
    let pending = '';
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const head = pending.slice(0, end + 4);
        pending = pending.slice(end + 4);
        const m = /\r\nrange: bytes=(\d+)-(\d+)\r\n/i.exec(head);
        const req: RawRequest = {
          head,
          range: m ? { start: Number(m[1]), end: Number(m[2]) } : undefined,
          connection,
          onConnection: onConnection++,
        };
        requests.push(req);
        handler(req, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/file.bin`,
    requests,
    connections: () => connectionCount,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Random bytes with their sha256. */
export function payload(size: number): { data: Buffer; sha256: string } {
  const data = randomBytes(size);
  return { data, sha256: createHash('sha256').update(data).digest('hex') };
}

/** A 206 for `req`'s range of `data` (or a 200 with all of it), keep-alive. */
export function rangeResponse(req: RawRequest, data: Buffer, extraHeaders = ''): Buffer {
  if (req.range === undefined) {
    return Buffer.concat([
      Buffer.from(
        `HTTP/1.1 200 OK\r\nContent-Length: ${data.length}\r\nAccept-Ranges: bytes\r\nETag: "v1"\r\n${extraHeaders}\r\n`,
      ),
      data,
    ]);
  }
  const end = Math.min(req.range.end, data.length - 1);
  const body = data.subarray(req.range.start, end + 1);
  return Buffer.concat([
    Buffer.from(
      `HTTP/1.1 206 Partial Content\r\nContent-Length: ${body.length}\r\nContent-Range: bytes ${req.range.start}-${end}/${data.length}\r\nETag: "v1"\r\n${extraHeaders}\r\n`,
    ),
    body,
  ]);
}
