import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { download } from '../../src/index.js';
import { payload, type RawHttpServer, rangeResponse, startRawHttpServer } from '../helpers/rawHttpServer.js';
import { listDir, tempDir } from '../helpers/tempDir.js';

const KiB = 1024;
const MiB = 1024 * KiB;

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

/** A server that answers every GET with a 200 and then sends `chunk` forever, without a length. */
async function endlessServer(): Promise<{ server: RawHttpServer; sent: () => number }> {
  let sent = 0;
  const chunk = Buffer.alloc(64 * KiB, 0x61);
  const s = await startRawHttpServer((_req, socket) => {
    socket.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n');
    const pump = (): void => {
      while (!socket.destroyed && socket.write(chunk)) sent += chunk.length;
      if (!socket.destroyed) socket.once('drain', pump);
    };
    pump();
  });
  return { server: s, sent: () => sent };
}

describe('maxBytes: a cap on what is written', () => {
  it('a body without Content-Length that never ends stops at the cap: SIZE_LIMIT_EXCEEDED, no file, no .part', async () => {
    const endless = await endlessServer();
    server = endless.server;
    const output = join(dir, 'endless.bin');

    const error = await download(server.url, {
      output,
      maxBytes: 2 * MiB,
      retry: { retries: 0 },
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'SIZE_LIMIT_EXCEEDED', limit: 2 * MiB });
    expect(await listDir(dir)).toEqual([]);
    // The server kept sending; the client stopped within a few socket buffers of the cap.
    expect(endless.sent()).toBeLessThan(64 * MiB);
  });

  it('a declared Content-Length over the cap is refused before anything is allocated: no sparse .part', async () => {
    server = await startRawHttpServer((_req, socket) => {
      // 10 GiB declared, nothing sent.
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10737418240\r\n\r\n');
    });
    const output = join(dir, 'huge.bin');

    const error = await download(server.url, { output, maxBytes: MiB, retry: { retries: 2 } }).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ code: 'SIZE_LIMIT_EXCEEDED', actual: 10 * 1024 * MiB });
    expect(await listDir(dir)).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('a declared total over the cap in a 206 is refused the same way', async () => {
    const file = payload(3 * MiB);
    server = await startRawHttpServer((req, socket) => socket.write(rangeResponse(req, file.data)));
    const output = join(dir, 'ranged.bin');

    const error = await download(server.url, { output, maxBytes: 2 * MiB }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'SIZE_LIMIT_EXCEEDED', limit: 2 * MiB, actual: 3 * MiB });
    expect(existsSync(output)).toBe(false);
    expect(await listDir(dir)).toEqual([]);
  });

  it('a file within the cap downloads as usual', async () => {
    const file = payload(MiB);
    server = await startRawHttpServer((req, socket) => socket.write(rangeResponse(req, file.data)));
    const output = join(dir, 'ok.bin');

    const result = await download(server.url, { output, maxBytes: MiB });

    expect(result.sha256).toBe(file.sha256);
    expect(await listDir(dir)).toEqual(['ok.bin']);
  });

  it('a plain stream cut mid-body after its retries leaves no partial behind (it could never resume)', async () => {
    server = await startRawHttpServer((_req, socket) => {
      // No ranges: a stream of 4 MiB cut after 1 MiB, every time.
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 4194304\r\n\r\n');
      socket.end(Buffer.alloc(MiB, 0x62));
    });
    const output = join(dir, 'cut.bin');

    const error = await download(server.url, {
      output,
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 },
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'INCOMPLETE_BODY' });
    expect(await listDir(dir)).toEqual([]);
  });
});
