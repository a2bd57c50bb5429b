import type { Fault } from '@downloader/fault-origin';
import { describe, expect, it } from 'vitest';
import { ChecksumMismatchError, download } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import { CONNECTION_MODES, expectIdentical, options, rejectionOf } from './helpers/faultHarness.js';
import { filesIn } from './helpers/files.js';

const bench = useFaultOrigin('fault-digest');

/**
 * Repr-Digest covers the whole representation on any response. x-amz-checksum-sha256 is a
 * whole-object value only on a 200 (S3 sends it only for whole-object GETs), so its cases run
 * against a server that answers 200 to everything.
 */
const digestCases = [
  { header: 'repr-digest', label: 'Repr-Digest on 206 responses', extra: [] },
  {
    header: 'x-amz-checksum-sha256',
    label: 'x-amz-checksum-sha256 on a 200 response',
    extra: [{ mode: 'ignore-range' }],
  },
] as const satisfies ReadonlyArray<{ header: string; label: string; extra: ReadonlyArray<Fault> }>;

describe.each(CONNECTION_MODES)('server-declared digests ($label)', ({ connections }) => {
  it.each(digestCases)('a correct $label is verified and reported', async ({ header, extra }) => {
    const { name, dir, output } = await bench.prepare(`digest-${header}`, connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name, [{ mode: 'digest', header }, ...extra]),
      options(connections, output),
    );

    await expectIdentical(origin, name, dir, result);
    expect(result.verified).toContainEqual(
      expect.objectContaining({ algorithm: 'sha256', source: 'server', value: origin.info(name).sha256 }),
    );
  });

  it.each(digestCases)(
    'a wrong $label fails with ChecksumMismatchError and leaves nothing',
    async ({ header, extra }) => {
      const { name, dir, output } = await bench.prepare(`digest-wrong-${header}`, connections);
      const origin = bench.origin();

      const error = await rejectionOf(
        download(
          origin.url(name, [{ mode: 'digest', header, wrong: true }, ...extra]),
          options(connections, output),
        ),
      );

      expect(error).toBeInstanceOf(ChecksumMismatchError);
      expect(error).toMatchObject({
        code: 'CHECKSUM_MISMATCH',
        source: 'server',
        actual: origin.info(name).sha256,
      });
      expect(await filesIn(dir)).toEqual([]);
    },
  );

  it('verifyServerDigests: false ignores a wrong server digest (the caller opted out)', async () => {
    const { name, dir, output } = await bench.prepare('digest-ignored', connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name, { mode: 'digest', header: 'repr-digest', wrong: true }),
      options(connections, output, { verifyServerDigests: false }),
    );

    await expectIdentical(origin, name, dir, result);
    expect(result.verified).toEqual([]);
  });
});
