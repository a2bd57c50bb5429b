import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChildProcessLargeFileRunner } from '../../src/adapters/local/runner/ChildProcessLargeFileRunner.js';
import { LargeFileRunnerError } from '../../src/adapters/local/runner/LargeFileRunnerError.js';
import { makeTempDir } from '../helpers/tempDir.js';

const FAKE = fileURLToPath(new URL('../helpers/fakeBatchRunner.mjs', import.meta.url));

describe('ChildProcessLargeFileRunner', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;

  beforeEach(async () => {
    dir = await makeTempDir();
    process.env.SERVICE_SECRET = 'must-not-leak';
  });

  afterEach(async () => {
    delete process.env.SERVICE_SECRET;
    await dir.remove();
  });

  function runner(exitCode: number, lines: string[]) {
    return new ChildProcessLargeFileRunner({
      command: [process.execPath, FAKE],
      env: { FAKE_EXIT_CODE: String(exitCode) },
      onLog: (line) => lines.push(line),
    });
  }

  it('passes the batch-runner flags, no service secrets, the URL policy; returns the file digest', async () => {
    const lines: string[] = [];
    const progress: number[] = [];
    const path = join(dir.path, 'out.bin');

    const result = await runner(0, lines).run({
      deliveryId: 'd1',
      fileIndex: 0,
      url: 'http://127.0.0.1:9/x',
      target: { kind: 'file', path },
      expected: { sha256: 'ab'.repeat(32), md5: 'cd'.repeat(16), crc32c: '0a1b2c3d' },
      size: 20,
      urlPolicy: { allowHttp: true },
      onProgress: (bytes) => progress.push(bytes),
    });

    const bytes = await readFile(path);
    expect(result).toEqual({ bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    const start = JSON.parse(lines[0] ?? '{}');
    expect(start.args).toEqual([
      '--url=http://127.0.0.1:9/x',
      '--delivery-id=d1',
      `--to-file=${path}`,
      `--sha256=${'ab'.repeat(32)}`,
      `--md5=${'cd'.repeat(16)}`,
      '--crc32c=0a1b2c3d',
      '--size=20',
      '--connections=4',
      '--progress-interval=1000',
    ]);
    expect(start.secretSeen).toBeNull();
    expect(JSON.parse(start.policy)).toEqual({ allowHttp: true });
    expect(progress).toEqual([bytes.length]);
  });

  it.each([
    [75, true, 'transient failure'],
    [65, false, 'the source refused'],
    [66, false, 'failed verification'],
    [70, false, 'internal error'],
  ])('maps exit %i to retryable=%s', async (code, retryable, meaning) => {
    const failure = runner(code, []).run({
      deliveryId: 'd1',
      fileIndex: 0,
      url: 'http://127.0.0.1:9/x',
      target: { kind: 'file', path: join(dir.path, 'out.bin') },
    });

    await expect(failure).rejects.toBeInstanceOf(LargeFileRunnerError);
    await expect(failure).rejects.toMatchObject({
      code: 'LARGE_FILE_RUNNER_FAILED',
      retryable,
      exitCode: code,
    });
    await expect(failure).rejects.toThrow(meaning);
  });
});
