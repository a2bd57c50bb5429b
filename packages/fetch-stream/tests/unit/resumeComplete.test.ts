import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { download, FileSink, SinkError, type SinkFinalizeInfo } from '../../src/index.js';
import { type RangeServer, randomFile, startRangeServer } from '../helpers/rangeServer.js';
import { listDir, tempDir } from '../helpers/tempDir.js';

const KiB = 1024;

/** Dies where a SIGKILL between the last part and the rename would: every byte stored, nothing published. */
class CrashBeforePublishSink extends FileSink {
  override async finalize(_info: SinkFinalizeInfo): Promise<void> {
    throw new Error('killed before publishing');
  }
}

describe('resume of a file whose every byte already arrived', () => {
  let server: RangeServer;
  let dir: string;
  let remove: () => Promise<void>;
  const small = randomFile(64 * KiB);

  beforeAll(async () => {
    server = await startRangeServer();
    server.put('small.bin', small.data);
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
    server.requests.length = 0;
  });
  afterEach(() => remove());

  it('the journal records the size from the first 206, so the rerun asks from the end, accepts the 416 and publishes', async () => {
    const output = join(dir, 'small.bin');
    await expect(
      download(server.url('small.bin'), { sink: new CrashBeforePublishSink(output) }),
    ).rejects.toBeInstanceOf(SinkError);
    const journal = JSON.parse(await readFile(`${output}.part.json`, 'utf8')) as { total: number };
    expect(journal.total).toBe(small.data.length);
    server.requests.length = 0;

    const result = await download(server.url('small.bin'), { output });

    expect((await readFile(output)).equals(small.data)).toBe(true);
    expect(result).toMatchObject({
      bytes: small.data.length,
      sha256: small.sha256,
      resumedBytes: small.data.length,
    });
    expect(server.requests.map((r) => [r.range, r.status])).toEqual([
      [expect.stringMatching(/^bytes=65536-/), 416],
    ]);
    expect(server.bytesServed()).toBe(0);
    expect(await listDir(dir)).toEqual(['small.bin']);
  });
});
