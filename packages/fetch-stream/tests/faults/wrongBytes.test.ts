import { describe, expect, it } from 'vitest';
import { ChecksumMismatchError, download } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import {
  CONNECTION_MODES,
  FILE_SIZE,
  MiB,
  options,
  PROBE_BYTES,
  rejectionOf,
} from './helpers/faultHarness.js';
import { filesIn, sha256OfFile } from './helpers/files.js';
import { referenceCrc32c, referenceMd5 } from './helpers/referenceChecksums.js';

const bench = useFaultOrigin('fault-wrong-bytes');
/** Inside the file, away from part boundaries, so only a checksum over all bytes can see it. */
const FLIPPED_OFFSET = 3 * MiB + 777;

describe.each(CONNECTION_MODES)('one wrong byte behind correct headers ($label)', ({ connections }) => {
  it('with the expected sha256: ChecksumMismatchError and the output path does not exist', async () => {
    const { name, dir, output } = await bench.prepare('wrong-bytes', connections);
    const origin = bench.origin();
    const expected = origin.info(name).sha256;

    const error = await rejectionOf(
      download(
        origin.url(name, { mode: 'wrong-bytes', offset: FLIPPED_OFFSET }),
        options(connections, output, { checksum: { sha256: expected } }),
      ),
    );

    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(error).toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      algorithm: 'sha256',
      expected,
      source: 'caller',
    });
    expect((error as ChecksumMismatchError).actual).not.toBe(expected);
    // discard(): nothing survives, neither the output nor resumable wrong bytes.
    expect(await filesIn(dir)).toEqual([]);
    expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + PROBE_BYTES);
  });

  it('with a correct server digest (Repr-Digest) and no caller checksum: caught as a server mismatch', async () => {
    const { name, dir, output } = await bench.prepare('wrong-bytes-digest', connections);
    const origin = bench.origin();

    const error = await rejectionOf(
      download(
        origin.url(name, [
          { mode: 'wrong-bytes', offset: FLIPPED_OFFSET },
          { mode: 'digest', header: 'repr-digest' },
        ]),
        options(connections, output),
      ),
    );

    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(error).toMatchObject({ code: 'CHECKSUM_MISMATCH', algorithm: 'sha256', source: 'server' });
    expect(await filesIn(dir)).toEqual([]);
  });

  it('without any checksum the file is written, and the sha256 it reports is that of the wrong bytes', async () => {
    const { name, dir, output } = await bench.prepare('wrong-bytes-unchecked', connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name, { mode: 'wrong-bytes', offset: FLIPPED_OFFSET }),
      options(connections, output),
    );

    const onDisk = await sha256OfFile(output);
    expect(result.sha256).toBe(onDisk);
    expect(onDisk).not.toBe(origin.info(name).sha256);
    expect(result.verified).toEqual([]);
    expect(await filesIn(dir)).toEqual([name]);
  });

  it.each(['md5', 'crc32c'] as const)(
    'with only the expected %s: caught as a caller mismatch',
    async (algorithm) => {
      const { name, dir, output } = await bench.prepare(`wrong-bytes-${algorithm}`, connections);
      const origin = bench.origin();
      const bytes = origin.bytes(name);
      const expected = algorithm === 'md5' ? referenceMd5(bytes) : referenceCrc32c(bytes);

      const error = await rejectionOf(
        download(
          origin.url(name, { mode: 'wrong-bytes', offset: FLIPPED_OFFSET }),
          options(connections, output, { checksum: { [algorithm]: expected } }),
        ),
      );

      expect(error).toBeInstanceOf(ChecksumMismatchError);
      expect(error).toMatchObject({ code: 'CHECKSUM_MISMATCH', algorithm, expected, source: 'caller' });
      expect(await filesIn(dir)).toEqual([]);
    },
  );

  it('correct md5 and crc32c (upper-case hex) are verified and reported', async () => {
    const { name, dir, output } = await bench.prepare('right-md5-crc32c', connections);
    const origin = bench.origin();
    const bytes = origin.bytes(name);
    const md5 = referenceMd5(bytes);
    const crc32c = referenceCrc32c(bytes);

    const result = await download(
      origin.url(name),
      options(connections, output, { checksum: { md5: md5.toUpperCase(), crc32c: crc32c.toUpperCase() } }),
    );

    expect(await filesIn(dir)).toEqual([name]);
    expect(await sha256OfFile(output)).toBe(origin.info(name).sha256);
    expect(result.verified).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ algorithm: 'md5', source: 'caller', value: md5 }),
        expect.objectContaining({ algorithm: 'crc32c', source: 'caller', value: crc32c }),
      ]),
    );
  });
});
