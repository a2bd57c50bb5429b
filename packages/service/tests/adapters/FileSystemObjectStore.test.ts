import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSystemObjectStore } from '../../src/adapters/local/fs/FileSystemObjectStore.js';
import { ObjectKeyError } from '../../src/domain/errors.js';
import { makeTempDir } from '../helpers/tempDir.js';

describe('FileSystemObjectStore', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let store: FileSystemObjectStore;

  beforeEach(async () => {
    dir = await makeTempDir();
    store = new FileSystemObjectStore(join(dir.path, 'downloads'));
  });

  afterEach(() => dir.remove());

  it('writes whole objects under <root>/<key>, replacing atomically, and reads them back', async () => {
    await store.putObject('d1/_delivery.json', '{"v":1}');
    await store.putObject('d1/_delivery.json', '{"v":2}');
    await store.putObject('d1/a/b.bin', new Uint8Array([1, 2, 3]));

    expect(await readFile(join(dir.path, 'downloads', 'd1', '_delivery.json'), 'utf8')).toBe('{"v":2}');
    expect(await store.getObject('d1/a/b.bin')).toEqual(Buffer.from([1, 2, 3]));
    expect(await store.headObject('d1/a/b.bin')).toEqual({ size: 3 });
    expect(await store.getObject('d1/none')).toBeUndefined();
    expect(await store.headObject('d1/a')).toBeUndefined();
    // No temporary files left behind.
    expect((await readdir(join(dir.path, 'downloads', 'd1'))).sort()).toEqual(['_delivery.json', 'a']);
    expect(store.targetFor('d1/a/b.bin')).toEqual({
      kind: 'file',
      path: join(dir.path, 'downloads', 'd1', 'a', 'b.bin'),
    });
  });

  it.each(['../outside', 'd1/../../outside', '/etc/passwd', 'd1//x', 'd1/./x', 'd1\\..\\x', '', 'd1/x\0y'])(
    'refuses the key %j before touching the file system',
    async (key) => {
      await expect(store.putObject(key, 'x')).rejects.toBeInstanceOf(ObjectKeyError);
      expect(() => store.targetFor(key)).toThrow(expect.objectContaining({ code: 'OBJECT_KEY_INVALID' }));
      expect(await readdir(dir.path)).toEqual([]);
    },
  );
});
