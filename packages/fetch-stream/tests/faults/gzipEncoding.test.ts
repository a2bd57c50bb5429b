import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { download, EncodedResponseError } from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import {
  CONNECTION_MODES,
  expectIdentical,
  FILE_SIZE,
  options,
  PROBE_BYTES,
  rejectionOf,
} from './helpers/faultHarness.js';
import { filesIn, pathExists } from './helpers/files.js';

const bench = useFaultOrigin('fault-gzip');

describe.each(CONNECTION_MODES)('gzip Content-Encoding ($label)', ({ connections }) => {
  it('asks for identity on every request, so a server that gzips only when allowed sends raw bytes', async () => {
    const { name, dir, output } = await bench.prepare('gzip-allowed', connections);
    const origin = bench.origin();

    const result = await download(origin.url(name, { mode: 'gzip' }), options(connections, output));

    await expectIdentical(origin, name, dir, result);
    const gets = origin.stats.perRequest.filter((record) => record.method === 'GET');
    expect(gets.length).toBeGreaterThan(0);
    expect(gets.every((record) => record.acceptEncoding === 'identity')).toBe(true);
    expect(origin.stats.perRequest.some((record) => record.faults.includes('gzip'))).toBe(false);
    expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + PROBE_BYTES);
  });

  it('a gzip body sent although identity was asked is an EncodedResponseError, never gunzipped data', async () => {
    const { name, dir, output } = await bench.prepare('gzip-forced', connections);
    const origin = bench.origin();

    const error = await rejectionOf(
      download(origin.url(name, { mode: 'gzip', force: true }), options(connections, output)),
    );

    expect(error).toBeInstanceOf(EncodedResponseError);
    expect(error).toMatchObject({ code: 'ENCODED_RESPONSE', encoding: 'gzip', retryable: false });
    expect(await pathExists(output)).toBe(false);
    // Whatever resumable state is left holds no decoded bytes: the file's first bytes appear nowhere.
    const head = origin.bytes(name).subarray(0, 64);
    for (const leftover of await filesIn(dir)) {
      expect((await readFile(join(dir, leftover))).includes(head), leftover).toBe(false);
    }
  });
});
