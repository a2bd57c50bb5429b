import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { serverDigests } from '../../src/http/serverDigests.js';

const body = Buffer.from('hello world');
const sha256 = createHash('sha256').update(body).digest();
const md5 = createHash('md5').update(body).digest();

describe('serverDigests', () => {
  it('reads Repr-Digest (RFC 9530) on any response', () => {
    const h = { 'repr-digest': `sha-256=:${sha256.toString('base64')}:` };
    expect(serverDigests(h, false)).toEqual([
      { algorithm: 'sha256', value: sha256.toString('hex'), header: 'repr-digest' },
    ]);
  });

  it('uses Content-Digest only for a whole (200) response: a 206 digest covers only the part', () => {
    const h = { 'content-digest': `sha-256=:${sha256.toString('base64')}:` };
    expect(serverDigests(h, false)).toEqual([]);
    expect(serverDigests(h, true)).toHaveLength(1);
  });

  it('reads RFC 3230 Digest with several algorithms', () => {
    const h = { digest: `SHA-256=${sha256.toString('base64')}, MD5=${md5.toString('base64')}` };
    const got = serverDigests(h, false).map((d) => [d.algorithm, d.value]);
    expect(got).toEqual([
      ['sha256', sha256.toString('hex')],
      ['md5', md5.toString('hex')],
    ]);
  });

  it('reads x-goog-hash crc32c and md5', () => {
    const crc = Buffer.from([0xc9, 0x9a, 0x74, 0xb1]);
    const h = { 'x-goog-hash': `crc32c=${crc.toString('base64')},md5=${md5.toString('base64')}` };
    expect(serverDigests(h, false).map((d) => d.algorithm)).toEqual(['crc32c', 'md5']);
    expect(serverDigests(h, false)[0]?.value).toBe('c99a74b1');
  });

  it('reads x-amz-checksum-* on a whole-object response only, and never a composite checksum', () => {
    const h = { 'x-amz-checksum-sha256': sha256.toString('base64') };
    expect(serverDigests(h, true)).toHaveLength(1);
    expect(serverDigests(h, false)).toEqual([]);
    expect(serverDigests({ ...h, 'x-amz-checksum-type': 'COMPOSITE' }, true)).toEqual([]);
    expect(serverDigests({ 'x-amz-checksum-crc32c': 'yZp0sQ==-3' }, true)).toEqual([]);
  });

  it('drops values of the wrong length or bad base64', () => {
    expect(serverDigests({ 'repr-digest': 'sha-256=:AAAA:' }, true)).toEqual([]);
    expect(serverDigests({ digest: 'SHA-256=not base64!' }, true)).toEqual([]);
  });
});
