/** Posts a body in chunks without Content-Length (chunked encoding), tolerating an early answer. */
import { request } from 'node:http';

/** Status and JSON body of the answer; the upload may be cut short once the server has answered. */
export function postChunked(
  url: string,
  headers: Record<string, string>,
  chunk: Uint8Array,
  count: number,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString('utf8')) }),
        );
        res.on('error', reject);
      },
    );
    // The server stops reading at its cap and may close the socket: the answer still arrives.
    req.on('error', () => undefined);
    let sent = 0;
    const writeMore = (): void => {
      while (sent < count) {
        sent += 1;
        if (!req.write(chunk)) {
          req.once('drain', writeMore);
          return;
        }
      }
      req.end();
    };
    writeMore();
  });
}
