import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { download } from '../../src/index.js';
import { type RawHttpServer, startRawHttpServer } from '../helpers/rawHttpServer.js';
import { listDir, tempDir } from '../helpers/tempDir.js';

let dir: string;
let remove: () => Promise<void>;
let server: RawHttpServer;
const timers = new Set<NodeJS.Timeout>();
beforeEach(async () => {
  ({ dir, remove } = await tempDir());
  // Headers at once, then one byte every 100 ms: never idle for long, never done.
  server = await startRawHttpServer((_req, socket) => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n');
    const timer = setInterval(() => {
      if (socket.destroyed) clearInterval(timer);
      else socket.write('x');
    }, 100);
    timers.add(timer);
  });
});
afterEach(async () => {
  for (const t of timers) clearInterval(t);
  await server.close();
  await remove();
});

describe('a server that drips bytes', () => {
  it('is cut by timeouts.lowSpeedBytesPerSecond although the idle timeout never fires: TIMEOUT (lowSpeed), nothing kept', async () => {
    const error = await download(server.url, {
      output: join(dir, 'drip.bin'),
      timeouts: { idle: 5000, lowSpeedBytesPerSecond: 1024, lowSpeedWindow: 500 },
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 },
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'TIMEOUT', phase: 'lowSpeed' });
    // One attempt and its retry, each cut after one window.
    expect(server.requests).toHaveLength(2);
    expect(await listDir(dir)).toEqual([]);
  });
});
