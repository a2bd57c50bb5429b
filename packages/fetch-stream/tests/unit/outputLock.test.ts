import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { download, SinkError } from '../../src/index.js';
import { type RangeServer, randomFile, startRangeServer } from '../helpers/rangeServer.js';
import { listDir, tempDir } from '../helpers/tempDir.js';

const file = randomFile(2 * 1024 * 1024 + 3);

describe('one writer per output file', () => {
  let server: RangeServer;
  let dir: string;
  let remove: () => Promise<void>;

  beforeAll(async () => {
    server = await startRangeServer();
    server.put('slow.bin', file.data, 5);
    server.put('fast.bin', file.data);
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(() => remove());

  it('refuses a second download into an output that one is still writing, and the first completes', async () => {
    const output = join(dir, 'same.bin');
    const first = download(server.url('slow.bin'), { output, connections: 2 });
    await new Promise((r) => setTimeout(r, 100));

    const second = download(server.url('fast.bin'), { output, connections: 2 });

    await expect(second).rejects.toBeInstanceOf(SinkError);
    await expect(second).rejects.toThrow(new RegExp(`process ${process.pid} on .* is writing`));
    const result = await first;
    expect(result.sha256).toBe(file.sha256);
    expect((await readFile(output)).equals(file.data)).toBe(true);
    expect(await listDir(dir)).toEqual(['same.bin']);
  });

  it('takes over the lock a killed process left behind', async () => {
    const output = join(dir, 'stale.bin');
    const deadPid = Number(
      execFileSync(process.execPath, ['-p', 'process.pid'], { encoding: 'utf8' }).trim(),
    );
    await writeFile(`${output}.part.lock`, JSON.stringify({ pid: deadPid, host: hostname() }));

    const result = await download(server.url('fast.bin'), { output });

    expect(result.sha256).toBe(file.sha256);
    expect(await listDir(dir)).toEqual(['stale.bin']);
  });
});

describe('a lock naming our own pid', () => {
  it('is stale when no download in this process holds it (an earlier process had the same pid)', async () => {
    const { dir, remove } = await tempDir();
    const server = await startRangeServer();
    server.put('f.bin', file.data);
    try {
      const output = join(dir, 'mine.bin');
      await writeFile(`${output}.part.lock`, JSON.stringify({ pid: process.pid, host: hostname() }));

      const result = await download(server.url('f.bin'), { output });

      expect(result.sha256).toBe(file.sha256);
    } finally {
      server.close();
      await remove();
    }
  });
});
