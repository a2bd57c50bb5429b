import { describe, expect, it } from 'vitest';
import { ChecksumMismatchError, download } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import { CONNECTION_MODES, expectIdentical, options, rejectionOf } from './helpers/faultHarness.js';
import { filesIn } from './helpers/files.js';

const bench = useFaultOrigin('fault-digest');
const headers = ['repr-digest', 'x-amz-checksum-sha256'] as const;

describe.each(CONNECTION_MODES)('server-declared digests ($label)', ({ connections }) => {
  it.each(headers)('a correct %s is verified and reported', async (header) => {
    const { name, dir, output } = await bench.prepare(`digest-${header}`, connections);
    const origin = bench.origin();

    const result = await download(origin.url(name, { mode: 'digest', header }), options(connections, output));

    await expectIdentical(origin, name, dir, result);
    expect(result.verified).toContainEqual(
      expect.objectContaining({ algorithm: 'sha256', source: 'server', value: origin.info(name).sha256 }),
    );
  });

  it.each(headers)('a wrong %s fails with ChecksumMismatchError and leaves nothing', async (header) => {
    const { name, dir, output } = await bench.prepare(`digest-wrong-${header}`, connections);
    const origin = bench.origin();

    const error = await rejectionOf(
      download(origin.url(name, { mode: 'digest', header, wrong: true }), options(connections, output)),
    );

    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(error).toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      source: 'server',
      actual: origin.info(name).sha256,
    });
    expect(await filesIn(dir)).toEqual([]);
  });

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
