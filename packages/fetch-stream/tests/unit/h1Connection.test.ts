import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { download, IncompleteBodyError } from '../../src/index.js';
import { payload, type RawHttpServer, rangeResponse, startRawHttpServer } from '../helpers/rawHttpServer.js';
import { listDir, tempDir } from '../helpers/tempDir.js';

const PART = 64 * 1024;
const file = payload(6 * PART + 123);
const quick = { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } };

describe('the HTTP/1.1 client on the wire', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let server: RawHttpServer | undefined;

  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await remove();
  });

  it('serves every request of a one-connection download over one kept-alive TCP connection', async () => {
    server = await startRawHttpServer((req, socket) => socket.write(rangeResponse(req, file.data)));
    const out = join(dir, 'a.bin');

    const result = await download(server.url, { output: out, connections: 1, partSize: PART, ...quick });

    expect(result.sha256).toBe(file.sha256);
    expect(result.requests).toBeGreaterThan(1);
    expect(server.connections()).toBe(1);
    expect(server.requests.map((r) => r.onConnection)).toEqual(server.requests.map((_, i) => i));
  });

  it('takes reads far larger than a part (one connection reads up to 2 MiB at once) and stores every byte in place', async () => {
    const big = payload(5 * 1024 * 1024 + 77);
    // One write per response: the client's reads return as much as the socket holds.
    server = await startRawHttpServer((req, socket) => socket.write(rangeResponse(req, big.data)));
    const out = join(dir, 'big.bin');

    const result = await download(server.url, { output: out, connections: 1, partSize: PART, ...quick });

    expect(result.sha256).toBe(big.sha256);
    expect((await readFile(out)).equals(big.data)).toBe(true);
    expect(server.connections()).toBe(1);
  });

  it('resends on a new connection, without spending a retry, when the server closed a kept-alive one', async () => {
    // The server answers one request per connection and then closes it, without saying so.
    server = await startRawHttpServer((req, socket) => {
      socket.write(rangeResponse(req, file.data), () => socket.end());
    });
    const out = join(dir, 'b.bin');

    const result = await download(server.url, { output: out, connections: 1, partSize: PART, ...quick });

    expect(result.sha256).toBe(file.sha256);
    expect(result.retries).toBe(0);
    // Every answered request needed its own connection: the server closes each after one response.
    expect(server.connections()).toBeGreaterThanOrEqual(result.requests);
  });

  it('a body cut by the server (FIN) is a typed IncompleteBodyError naming how often it was tried', async () => {
    // Every response declares the whole part but sends half of it, then closes.
    server = await startRawHttpServer((req, socket) => {
      const whole = rangeResponse(req, file.data);
      socket.end(whole.subarray(0, whole.length - Math.floor(PART / 2)));
    });
    const out = join(dir, 'cut.bin');

    const error = await download(server.url, { output: out, connections: 1, partSize: PART, ...quick }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(IncompleteBodyError);
    expect(error).toMatchObject({ code: 'INCOMPLETE_BODY', attempts: 3 });
    expect((error as Error).message).not.toMatch(/resuming|retried/);
  });

  it('skips interim 1xx responses and reads the final one', async () => {
    server = await startRawHttpServer((req, socket) => {
      socket.write('HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n');
      socket.write(rangeResponse(req, file.data));
    });
    const out = join(dir, 'c.bin');

    const result = await download(server.url, { output: out, connections: 2, partSize: PART, ...quick });

    expect(result.sha256).toBe(file.sha256);
    expect((await readFile(out)).equals(file.data)).toBe(true);
  });

  it('reads a chunked 200 with extensions and trailers from a server without ranges', async () => {
    server = await startRawHttpServer((_req, socket) => {
      const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
      const pieces: string[] = [];
      for (let at = 0; at < file.data.length; at += 50_000) {
        const chunk = file.data.subarray(at, at + 50_000);
        pieces.push(`${chunk.length.toString(16)};ext=1\r\n${chunk.toString('latin1')}\r\n`);
      }
      socket.write(Buffer.from(`${head}${pieces.join('')}0\r\nX-Trailer: yes\r\n\r\n`, 'latin1'));
    });
    const out = join(dir, 'd.bin');

    const result = await download(server.url, { output: out, connections: 4, ...quick });

    expect(result.sha256).toBe(file.sha256);
    expect(result.ranged).toBe(false);
  });

  it('does not reuse a connection on which the server sent bytes after the body', async () => {
    server = await startRawHttpServer((req, socket) => {
      socket.write(Buffer.concat([rangeResponse(req, file.data), Buffer.from('GARBAGE')]));
    });
    const out = join(dir, 'e.bin');

    const result = await download(server.url, { output: out, connections: 1, partSize: PART, ...quick });

    expect(result.sha256).toBe(file.sha256);
    expect(server.requests.every((r) => r.onConnection === 0)).toBe(true);
  });

  it.each([
    [
      'conflicting Content-Length headers',
      (n: number) => `Content-Length: ${n}\r\nContent-Length: ${n + 1}\r\n`,
    ],
    ['a 70 KiB response head', (n: number) => `Content-Length: ${n}\r\nX-Big: ${'a'.repeat(70 * 1024)}\r\n`],
    ['obsolete header folding', (n: number) => `Content-Length: ${n}\r\nX-Folded: a\r\n b\r\n`],
  ])('fails with a typed protocol error and creates no file for %s', async (_name, headers) => {
    server = await startRawHttpServer((_req, socket) => {
      socket.write(
        Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\n${headers(file.data.length)}\r\n`), file.data]),
      );
    });
    const out = join(dir, 'f.bin');

    await expect(download(server.url, { output: out, connections: 1, ...quick })).rejects.toMatchObject({
      code: 'PROTOCOL',
    });
    expect(await listDir(dir)).not.toContain('f.bin');
  });
});

describe('a resource that shrinks during the transfer', () => {
  it('restarts on the 416 for a range that no longer exists and delivers the new version', async () => {
    const { dir, remove } = await tempDir();
    const PART_SIZE = 64 * 1024;
    const before = payload(8 * PART_SIZE);
    const after = payload(40_000);
    let current = before;
    let etag = 'v1';
    const server = await startRawHttpServer((req, socket) => {
      const total = current.data.length;
      if (req.range !== undefined && req.range.start >= total) {
        socket.write(
          `HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */${total}\r\nContent-Length: 0\r\nETag: "${etag}"\r\n\r\n`,
        );
        return;
      }
      socket.write(
        rangeResponse(req, current.data).toString('latin1').replace('"v1"', `"${etag}"`),
        'latin1',
      );
      // After the first answer the file is replaced by a shorter one, as a publisher might.
      current = after;
      etag = 'v2';
    });
    try {
      const out = join(dir, 'shrunk.bin');
      const result = await download(server.url, {
        output: out,
        connections: 1,
        partSize: PART_SIZE,
        retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 },
      });
      expect(result.restartedBecauseChanged).toBe(true);
      expect(result.sha256).toBe(after.sha256);
      expect((await readFile(out)).equals(after.data)).toBe(true);
    } finally {
      await server.close();
      await remove();
    }
  });
});
