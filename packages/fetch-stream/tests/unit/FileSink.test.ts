import { randomBytes } from 'node:crypto';
import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileSink, InvalidOptionsError } from '../../src/index.js';
import { tempDir } from '../helpers/tempDir.js';

const PART = 1024;
const data = randomBytes(3 * PART + 100);
const transfer = {
  url: 'http://127.0.0.1/f.bin',
  validators: { etag: '"v1"', size: data.length },
  total: data.length,
  partSize: PART,
  ranged: true,
};
const part = (index: number) => {
  const offset = index * PART;
  const bytes = data.subarray(offset, Math.min(offset + PART, data.length));
  return { index, offset, length: bytes.length, crc32: crc32(bytes), bytes };
};

/** Writes each of the given parts and commits it, in order. */
async function writeParts(sink: FileSink, indices: readonly number[]): Promise<void> {
  for (const i of indices) {
    const p = part(i);
    await sink.write(p.offset, p.bytes);
    await sink.commitPart(p);
  }
}

describe('FileSink', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(() => remove());

  it('reads back into a caller buffer: exactly the stored bytes, in that buffer', async () => {
    const sink = new FileSink(join(dir, 'f.bin'));
    await sink.begin(transfer, false);
    await sink.write(0, data);
    const into = Buffer.alloc(2 * PART, 0xaa);

    const bytes = await sink.read(PART, PART + 10, into);

    expect(Buffer.from(bytes).equals(data.subarray(PART, 2 * PART + 10))).toBe(true);
    expect(bytes.buffer).toBe(into.buffer);
    await sink.close();
  });

  it('resumes exactly the committed parts after close (as after a crash)', async () => {
    const out = join(dir, 'f.bin');
    const sink = new FileSink(out);
    expect(await sink.open()).toBeUndefined();
    await sink.begin(transfer, false);
    await writeParts(sink, [0, 2]);
    // Written but never committed: must not be trusted.
    await sink.write(part(1).offset, part(1).bytes);
    await sink.close();

    const again = new FileSink(out);
    const state = await again.open();
    expect(state?.completedParts.map((p) => p.index)).toEqual([0, 2]);
    expect(state?.validators).toEqual(transfer.validators);
  });

  it('drops a committed part whose bytes were torn on disk', async () => {
    const out = join(dir, 'f.bin');
    const sink = new FileSink(out);
    await sink.begin(transfer, false);
    await writeParts(sink, [0, 1]);
    await sink.close();
    const fh = await open(`${out}.part`, 'r+');
    await fh.write(Buffer.from([(data[PART + 5] ?? 0) ^ 0xff]), 0, 1, PART + 5);
    await fh.close();

    const state = await new FileSink(out).open();
    expect(state?.completedParts.map((p) => p.index)).toEqual([0]);
  });

  it('finalize publishes the file and removes the journal; discard leaves nothing', async () => {
    const out = join(dir, 'f.bin');
    const sink = new FileSink(out);
    await sink.begin(transfer, false);
    await sink.write(0, data);
    await sink.finalize({ bytes: data.length, sha256: '', validators: transfer.validators, verified: [] });
    expect((await readFile(out)).equals(data)).toBe(true);
    expect(await readdir(dir)).toEqual(['f.bin']);

    const other = new FileSink(join(dir, 'g.bin'));
    await other.begin(transfer, false);
    await other.write(0, data);
    await other.commitPart(part(0));
    await other.discard();
    expect(await readdir(dir)).toEqual(['f.bin']);
  });

  describe('durability', () => {
    /** Counts fsync(2) and fdatasync(2) made through any FileHandle while `act` runs. */
    async function countSyncs(act: () => Promise<void>): Promise<number> {
      const probe = await open(join(dir, 'probe'), 'w');
      const proto = Object.getPrototypeOf(probe) as {
        sync: () => Promise<void>;
        datasync: () => Promise<void>;
      };
      await probe.close();
      const sync = vi.spyOn(proto, 'sync');
      const datasync = vi.spyOn(proto, 'datasync');
      try {
        await act();
        return sync.mock.calls.length + datasync.mock.calls.length;
      } finally {
        sync.mockRestore();
        datasync.mockRestore();
      }
    }

    async function writeWhole(sink: FileSink): Promise<void> {
      await sink.begin(transfer, false);
      await writeParts(sink, [0, 1, 2, 3]);
      await sink.finalize({ bytes: data.length, sha256: '', validators: transfer.validators, verified: [] });
    }

    it("'power-loss' (the default) syncs the data before the file gets its name", async () => {
      const out = join(dir, 'f.bin');

      const syncs = await countSyncs(() => writeWhole(new FileSink(out)));

      expect(syncs).toBeGreaterThanOrEqual(2); // the data, then the directory holding the new name
      expect((await readFile(out)).equals(data)).toBe(true);
    });

    it("'process-exit' never syncs, and still publishes the same file and resumes exactly", async () => {
      const out = join(dir, 'f.bin');
      const first = new FileSink(out, { durability: 'process-exit' });

      const syncs = await countSyncs(async () => {
        await first.begin(transfer, false);
        await writeParts(first, [0, 2]);
        await first.close();
        const again = new FileSink(out, { durability: 'process-exit' });
        const state = await again.open();
        expect(state?.completedParts.map((p) => p.index)).toEqual([0, 2]);
        await again.begin(transfer, true);
        await writeParts(again, [1, 3]);
        await again.finalize({
          bytes: data.length,
          sha256: '',
          validators: transfer.validators,
          verified: [],
        });
      });

      expect(syncs).toBe(0);
      expect((await readFile(out)).equals(data)).toBe(true);
      expect((await readdir(dir)).sort()).toEqual(['f.bin', 'probe']);
    });

    it('refuses an unknown durability with a typed error', () => {
      expect(() => new FileSink(join(dir, 'f.bin'), { durability: 'sometimes' as never })).toThrow(
        InvalidOptionsError,
      );
    });
  });
});
