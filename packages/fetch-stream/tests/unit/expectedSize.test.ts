import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { download, InvalidOptionsError } from '../../src/index.js';
import { type RangeServer, randomFile, startRangeServer } from '../helpers/rangeServer.js';
import { listDir, tempDir } from '../helpers/tempDir.js';

const KiB = 1024;

describe('download({ expectedSize })', () => {
  let server: RangeServer;
  let dir: string;
  let remove: () => Promise<void>;
  const file = randomFile(300 * KiB + 7);

  beforeAll(async () => {
    server = await startRangeServer();
    server.put('f.bin', file.data);
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
    server.requests.length = 0;
  });
  afterEach(() => remove());

  it('a server declaring another size fails with SizeMismatchError and nothing is written', async () => {
    const output = join(dir, 'f.bin');

    const failure = download(server.url('f.bin'), { output, expectedSize: file.data.length + 1 });

    await expect(failure).rejects.toBeInstanceOf(api.SizeMismatchError);
    await expect(failure).rejects.toMatchObject({
      code: 'SIZE_MISMATCH',
      retryable: false,
      expected: file.data.length + 1,
      actual: file.data.length,
    });
    expect(await listDir(dir)).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('the declared size matching: the file is downloaded as usual', async () => {
    const output = join(dir, 'f.bin');

    const result = await download(server.url('f.bin'), { output, expectedSize: file.data.length });

    expect(result.bytes).toBe(file.data.length);
    expect((await readFile(output)).equals(file.data)).toBe(true);
  });

  it('refuses a negative or fractional expectedSize with InvalidOptionsError', async () => {
    await expect(
      download(server.url('f.bin'), { output: join(dir, 'x'), expectedSize: -1 }),
    ).rejects.toBeInstanceOf(InvalidOptionsError);
    await expect(
      download(server.url('f.bin'), { output: join(dir, 'x'), expectedSize: 1.5 }),
    ).rejects.toBeInstanceOf(InvalidOptionsError);
    expect(server.requests).toHaveLength(0);
  });
});
