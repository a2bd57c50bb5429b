import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeadlineExceededError, download, FileSink, InvalidOptionsError } from '../../src/index.js';
import { type RangeServer, randomFile, startRangeServer } from '../helpers/rangeServer.js';
import { listDir, tempDir } from '../helpers/tempDir.js';

describe('download() options', () => {
  let server: RangeServer;
  let dir: string;
  let remove: () => Promise<void>;

  beforeAll(async () => {
    server = await startRangeServer();
    server.put('slow.bin', randomFile(8 * 1024 * 1024).data, 20);
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(() => remove());

  it.each([
    ['neither output nor sink', {}],
    ['both output and sink', { output: 'x', sink: new FileSink('y') }],
    [
      'durability with a sink (it belongs to the sink)',
      { sink: new FileSink('y'), durability: 'process-exit' as const },
    ],
    ['an unknown durability', { output: 'x', durability: 'never' as never }],
    ['a reserved header', { output: 'x', headers: { Range: 'bytes=0-1' } }],
    ['zero connections', { output: 'x', connections: 0 }],
    ['a malformed sha256', { output: 'x', checksum: { sha256: 'abc' } }],
  ])('refuses %s with InvalidOptionsError before any request', async (_label, options) => {
    await expect(download(server.url('slow.bin'), options)).rejects.toBeInstanceOf(InvalidOptionsError);
  });

  it('refuses a non-http URL and a URL with credentials', async () => {
    await expect(download('file:///etc/passwd', { output: join(dir, 'x') })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    await expect(download('http://u:p@127.0.0.1/x', { output: join(dir, 'x') })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });

  it('the overall deadline stops the download with DeadlineExceededError and keeps resumable state', async () => {
    const error = await download(server.url('slow.bin'), {
      output: join(dir, 'slow.bin'),
      partSize: 256 * 1024,
      timeouts: { overall: 400 },
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', retryable: true });
    expect(await listDir(dir)).toEqual(['slow.bin.part', 'slow.bin.part.json']);
  });
});
