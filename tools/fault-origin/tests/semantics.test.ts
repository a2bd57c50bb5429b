import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FaultOrigin, startFaultOrigin } from '../src/index.js';
import { rawRequest, sha256 } from './helpers/rawRequest.js';

const SIZE = 100_000;

describe('fault origin without faults: HTTP semantics', () => {
  let origin: FaultOrigin;
  let full: Buffer;

  beforeAll(async () => {
    origin = await startFaultOrigin({ files: { 'a.bin': SIZE, 'empty.bin': 0 }, seed: 'semantics' });
    full = origin.bytes('a.bin');
  });
  afterAll(async () => {
    await origin.close();
  });
  beforeEach(() => origin.resetStats());

  it('serves the full body with validators and a sha256 the test can compute', async () => {
    const res = await rawRequest(origin.url('a.bin'));
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(SIZE));
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers.etag).toMatch(/^"[0-9a-f]+"$/);
    expect(Date.parse(String(res.headers['last-modified']))).not.toBeNaN();
    expect(sha256(res.body)).toBe(origin.info('a.bin').sha256);
    expect(origin.stats.bytesServed).toBe(SIZE);
    expect(origin.stats.perRequest[0]).toMatchObject({ status: 200, bytes: SIZE, completed: true });
  });

  it('gives the same bytes for the same seed and different bytes for another seed', async () => {
    const twin = await startFaultOrigin({ files: { 'a.bin': SIZE }, seed: 'semantics' });
    const other = await startFaultOrigin({ files: { 'a.bin': SIZE }, seed: 'other' });
    try {
      expect(twin.info('a.bin').sha256).toBe(origin.info('a.bin').sha256);
      expect(other.info('a.bin').sha256).not.toBe(origin.info('a.bin').sha256);
    } finally {
      await twin.close();
      await other.close();
    }
  });

  it('answers bytes=a-b, a- and -n ranges with 206 and the exact bytes', async () => {
    const cases: Array<[string, number, number]> = [
      ['bytes=10-19', 10, 20],
      ['bytes=99990-', 99_990, SIZE],
      ['bytes=-5', SIZE - 5, SIZE],
      ['bytes=99990-200000', 99_990, SIZE],
      ['bytes=17-17', 17, 18],
    ];
    for (const [range, start, end] of cases) {
      const res = await rawRequest(origin.url('a.bin'), { headers: { range } });
      expect(res.status, range).toBe(206);
      expect(res.headers['content-range'], range).toBe(`bytes ${start}-${end - 1}/${SIZE}`);
      expect(res.headers['content-length'], range).toBe(String(end - start));
      expect(res.body.equals(full.subarray(start, end)), range).toBe(true);
    }
  });

  it('answers 416 with the total for a range past the end', async () => {
    const res = await rawRequest(origin.url('a.bin'), { headers: { range: `bytes=${SIZE}-` } });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe(`bytes */${SIZE}`);
    const empty = await rawRequest(origin.url('empty.bin'), { headers: { range: 'bytes=0-' } });
    expect(empty.status).toBe(416);
  });

  it('ignores multiple or malformed ranges with a full 200', async () => {
    for (const range of ['bytes=0-1,5-6', 'bytes=9-3', 'items=0-1']) {
      const res = await rawRequest(origin.url('a.bin'), { headers: { range } });
      expect(res.status, range).toBe(200);
      expect(res.body.length, range).toBe(SIZE);
    }
  });

  it('honours If-Range: matching ETag or date → 206, other ETag, weak ETag or other date → 200', async () => {
    const { etag, lastModified } = origin.info('a.bin');
    const range = 'bytes=0-9';
    expect((await rawRequest(origin.url('a.bin'), { headers: { range, 'if-range': etag } })).status).toBe(
      206,
    );
    expect(
      (await rawRequest(origin.url('a.bin'), { headers: { range, 'if-range': lastModified } })).status,
    ).toBe(206);
    for (const ifRange of ['"other"', `W/${etag}`, 'Mon, 01 Jan 2001 00:00:00 GMT']) {
      const res = await rawRequest(origin.url('a.bin'), { headers: { range, 'if-range': ifRange } });
      expect(res.status, ifRange).toBe(200);
      expect(res.body.length, ifRange).toBe(SIZE);
    }
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const res = await rawRequest(origin.url('a.bin'), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(SIZE));
    expect(res.body.length).toBe(0);
    expect(origin.stats.bytesServed).toBe(0);
  });

  it('answers 404 for unknown names and 405 for other methods', async () => {
    expect((await rawRequest(origin.url('missing.bin'))).status).toBe(404);
    expect((await rawRequest(origin.url('a.bin'), { method: 'POST' })).status).toBe(405);
  });

  it('setContent makes a new version: new ETag, new Last-Modified, new bytes', async () => {
    origin.addFile('changing.bin', 1000);
    const before = origin.info('changing.bin');
    const after = origin.setContent('changing.bin', Buffer.from('hello, world'));
    expect(after.etag).not.toBe(before.etag);
    expect(after.lastModified).not.toBe(before.lastModified);
    const res = await rawRequest(origin.url('changing.bin'), {
      headers: { range: 'bytes=0-9', 'if-range': before.etag },
    });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('hello, world');
    expect(res.headers.etag).toBe(after.etag);
  });

  it('records the range asked, the status sent and the bytes of every request', async () => {
    await rawRequest(origin.url('a.bin'), { headers: { range: 'bytes=0-99' } });
    await rawRequest(origin.url('a.bin'), { headers: { range: 'bytes=100-' } });
    expect(origin.stats.requests).toBe(2);
    expect(origin.stats.bytesServed).toBe(SIZE);
    expect(origin.stats.perRequest.map((r) => [r.range, r.status, r.bytes])).toEqual([
      ['bytes=0-99', 206, 100],
      ['bytes=100-', 206, SIZE - 100],
    ]);
    expect(origin.stats.perRequest[0]?.headers.range).toBe('bytes=0-99');
    // rawRequest uses a new connection per request.
    expect(origin.stats.perRequest[0]?.clientPort).not.toBe(origin.stats.perRequest[1]?.clientPort);
    origin.resetStats();
    expect(origin.stats.requests).toBe(0);
  });
});
