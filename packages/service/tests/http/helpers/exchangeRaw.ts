/** Writes raw HTTP/1.1 bytes to one connection, piece by piece, and reads every answer on it. */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** One answer read off the wire. */
export interface RawAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** The request `POST <path>` with `headers` as given and a Content-Length of `body`, as raw text. */
export function rawPost(url: string, headers: Readonly<Record<string, string>>, body: string): string {
  const target = new URL(url);
  const lines = [
    `POST ${target.pathname} HTTP/1.1`,
    `Host: ${target.host}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/**
 * Connects to `url`'s host, writes `pieces` one after another with `pauseMs` between them, then
 * half-closes and collects the answers (each with a Content-Length, as the app sends them) until
 * the server ends the connection.
 */
export async function exchangeRaw(url: string, pieces: readonly string[], pauseMs = 0): Promise<RawAnswer[]> {
  const target = new URL(url);
  const socket = connect(Number(target.port), target.hostname);
  const parts: Buffer[] = [];
  socket.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise<void>((resolve, reject) => {
    socket.on('end', resolve);
    socket.on('error', reject);
  });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  for (const [index, piece] of pieces.entries()) {
    if (index > 0 && pauseMs > 0) await sleep(pauseMs);
    socket.write(piece);
  }
  socket.end();
  await ended;
  const answers: RawAnswer[] = [];
  let rest = Buffer.concat(parts).toString('utf8');
  while (rest.length > 0) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const head = rest.slice(0, headEnd);
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    const body = rest.slice(headEnd + 4, headEnd + 4 + length);
    answers.push({ status, body: JSON.parse(body) });
    rest = rest.slice(headEnd + 4 + length);
  }
  return answers;
}
