/** Posts with header lines written exactly as given (case, order, repeats), over a plain socket. */
import { connect } from 'node:net';

/** Status and JSON body of the answer to `POST url` carrying `headers` line by line and `body`. */
export function postRawHeaders(
  url: string,
  headers: readonly (readonly [string, string])[],
  body: string,
): Promise<{ status: number; body: { error?: { code: string } } }> {
  const target = new URL(url);
  const head = [
    `POST ${target.pathname} HTTP/1.1`,
    `Host: ${target.host}`,
    ...headers.map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    const parts: Buffer[] = [];
    socket.on('data', (part: Buffer) => parts.push(part));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const payload = text.slice(text.indexOf('\r\n\r\n') + 4);
      resolve({ status, body: JSON.parse(payload) as { error?: { code: string } } });
    });
    socket.write(`${head}\r\n\r\n${body}`);
  });
}
