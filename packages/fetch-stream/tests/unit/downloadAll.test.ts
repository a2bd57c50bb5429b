import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FaultOrigin, startFaultOrigin } from '@downloader/fault-origin';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DownloadAllProgress, downloadAll, InvalidOptionsError } from '../../src/index.js';
import { tempDir } from '../helpers/tempDir.js';

const KiB = 1024;

describe('downloadAll', () => {
  let origin: FaultOrigin;
  let dir: string;
  let remove: () => Promise<void>;

  beforeAll(async () => {
    origin = await startFaultOrigin({ seed: 'download-all' });
  });
  afterAll(() => origin.close());
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
    origin.resetStats();
  });
  afterEach(() => remove());

  it('fetches every file, a few at a time over shared keep-alive connections, with one combined progress', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `all/f${i}.bin`);
    const infos = names.map((n, i) => origin.addFile(n, 20 * KiB + i));
    const events: DownloadAllProgress[] = [];

    const outcomes = await downloadAll(
      names.map((n, i) => ({
        url: origin.url(n),
        output: join(dir, `f${i}.bin`),
        checksum: { sha256: infos[i]?.sha256 },
      })),
      { concurrency: 3, progressIntervalMs: 1, onProgress: (e) => events.push(e) },
    );

    expect(outcomes.map((o) => o.status)).toEqual(names.map(() => 'downloaded'));
    for (const [i, info] of infos.entries())
      expect((await readFile(join(dir, `f${i}.bin`))).length).toBe(info.size);
    // 12 files, 3 at a time: at most 3 TCP connections were ever opened.
    expect(new Set(origin.stats.perRequest.map((r) => r.clientPort)).size).toBeLessThanOrEqual(3);
    const last = events.at(-1);
    expect(last).toMatchObject({
      filesTotal: 12,
      filesDone: 12,
      filesFailed: 0,
      bytes: infos.reduce((n, f) => n + f.size, 0),
    });
    for (let i = 1; i < events.length; i++) {
      expect((events[i] as DownloadAllProgress).bytes).toBeGreaterThanOrEqual(
        (events[i - 1] as DownloadAllProgress).bytes,
      );
    }
  });

  it('a failing file fails alone; an abort fails the rest with AbortedError', async () => {
    origin.addFile('all/ok.bin', 10 * KiB);
    const controller = new AbortController();

    const outcomes = await downloadAll(
      [
        { url: origin.url('all/missing.bin'), output: join(dir, 'missing.bin') },
        { url: origin.url('all/ok.bin'), output: join(dir, 'ok.bin') },
        { url: origin.url('all/ok.bin'), output: join(dir, 'late.bin') },
      ],
      {
        concurrency: 1,
        onItemDone: (o) => {
          if (o.index === 1) controller.abort(new Error('enough'));
        },
        signal: controller.signal,
      },
    );

    expect(outcomes.map((o) => (o.status === 'failed' ? o.error.code : o.status))).toEqual([
      'HTTP_STATUS',
      'downloaded',
      'ABORTED',
    ]);
  });

  it('refuses two entries with the same output', async () => {
    const item = { url: origin.url('x'), output: join(dir, 'same') };
    await expect(downloadAll([item, item])).rejects.toBeInstanceOf(InvalidOptionsError);
  });
});
