import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NginxServer, NginxStartError, startNginx, writeRandomFile } from '../src/index.js';
import { rawRequest, sha256 } from './helpers/rawRequest.js';

const SIZE = 3 * 1024 * 1024 + 5;

describe('startNginx and writeRandomFile', () => {
  let root: string;
  let nginx: NginxServer;
  let expected: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'fault-origin-nginx-test-'));
    expected = await writeRandomFile(join(root, 'r.bin'), SIZE, 'nginx-test');
    nginx = await startNginx({ root, limitRate: '100m' });
  });
  afterAll(async () => {
    await nginx?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('writeRandomFile is deterministic and returns the sha256 of what it wrote', async () => {
    const bytes = await readFile(join(root, 'r.bin'));
    expect(bytes.length).toBe(SIZE);
    expect(sha256(bytes)).toBe(expected);
    const again = join(root, 'again.bin');
    expect(await writeRandomFile(again, SIZE, 'nginx-test')).toBe(expected);
    expect(await writeRandomFile(again, SIZE, 'another seed')).not.toBe(expected);
  });

  it('serves the file, ranges with its ETag as If-Range, and the /limited/ alias', async () => {
    const whole = await rawRequest(`${nginx.baseUrl}/r.bin`);
    expect(whole.status).toBe(200);
    expect(sha256(whole.body)).toBe(expected);
    const etag = String(whole.headers.etag);
    const part = await rawRequest(`${nginx.baseUrl}/r.bin`, {
      headers: { range: 'bytes=10-19', 'if-range': etag },
    });
    expect(part.status).toBe(206);
    expect(part.body.equals(whole.body.subarray(10, 20))).toBe(true);
    const limited = await rawRequest(`${nginx.baseUrl}/limited/r.bin`, { headers: { range: 'bytes=0-99' } });
    expect(limited.status).toBe(206);
    expect(limited.body.equals(whole.body.subarray(0, 100))).toBe(true);
    const log = await nginx.accessLog();
    expect(log.map((e) => [e.path, e.status, e.bytes, e.range, e.ifRange])).toEqual([
      ['/r.bin', 200, SIZE, undefined, undefined],
      ['/r.bin', 206, 10, 'bytes=10-19', etag],
      ['/limited/r.bin', 206, 100, 'bytes=0-99', undefined],
    ]);
  });

  it('close() stops nginx: the port refuses connections and the temp dir is gone', async () => {
    const second = await startNginx({ root, masterProcess: true });
    expect((await rawRequest(`${second.baseUrl}/r.bin`, { headers: { range: 'bytes=0-0' } })).status).toBe(
      206,
    );
    await second.close();
    await expect(rawRequest(`${second.baseUrl}/r.bin`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(readFile(join(second.prefix, 'nginx.conf'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('says how to install nginx when the binary is missing', async () => {
    const attempt = startNginx({ root, binary: '/nonexistent/nginx' });
    await expect(attempt).rejects.toBeInstanceOf(NginxStartError);
    await expect(attempt).rejects.toThrow(/install-system-deps\.sh/);
  });
});
