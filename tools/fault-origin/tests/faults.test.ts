import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FaultOrigin, startFaultOrigin } from '../src/index.js';
import { rawRequest, sha256 } from './helpers/rawRequest.js';

const SIZE = 200_000;
const NAME = 'f.bin';

describe('fault origin: each fault mode as a plain client sees it', () => {
  let origin: FaultOrigin;
  let full: Buffer;

  beforeAll(async () => {
    origin = await startFaultOrigin({ files: { [NAME]: SIZE }, seed: 'faults' });
    full = origin.bytes(NAME);
  });
  afterAll(async () => {
    await origin.close();
  });
  beforeEach(() => origin.resetStats());

  it('reset: RST after N bytes, first K requests only', async () => {
    const url = origin.url(NAME, { mode: 'reset', afterBytes: 1000, times: 1 });
    const first = await rawRequest(url);
    expect(first.status).toBe(200);
    expect(first.complete).toBe(false);
    expect(first.body.length).toBeLessThanOrEqual(1000);
    expect(first.body.equals(full.subarray(0, first.body.length))).toBe(true);
    const second = await rawRequest(url);
    expect(second.complete).toBe(true);
    expect(sha256(second.body)).toBe(origin.info(NAME).sha256);
    expect(origin.stats.perRequest.map((r) => r.bytes)).toEqual([1000, SIZE]);
  });

  it('reset: a response not longer than N is not bitten and does not use up K', async () => {
    const url = origin.url(NAME, { mode: 'reset', afterBytes: 1000, times: 1 });
    const small = await rawRequest(url, { headers: { range: 'bytes=0-99' } });
    expect(small.complete).toBe(true);
    const big = await rawRequest(url);
    expect(big.complete).toBe(false);
  });

  it('stall: N bytes, silence for T ms, then the rest', async () => {
    const url = origin.url(NAME, { mode: 'stall', afterBytes: 5000, stallMs: 300 });
    const res = await rawRequest(url);
    expect(res.complete).toBe(true);
    expect(sha256(res.body)).toBe(origin.info(NAME).sha256);
    // The only timing check: the pause happened at all (never an upper bound).
    expect(res.elapsedMs).toBeGreaterThanOrEqual(250);
  });

  it('stall at byte 0: the headers arrive, then the body is silent', async () => {
    const bytesWhenHeadersArrived = await new Promise<number | undefined>((resolve, reject) => {
      const url = origin.url(NAME, { mode: 'stall', afterBytes: 0, stallMs: 5000 });
      const req = request(url, { agent: false }, (res) => {
        resolve(origin.stats.perRequest.at(-1)?.bytes);
        res.destroy();
      });
      req.on('error', reject);
      req.end();
    });
    // Headers came while the stall held every body byte back (not with the body after it).
    expect(bytesWhenHeadersArrived).toBe(0);
  });

  it('throttle: the full body, paced', async () => {
    const res = await rawRequest(origin.url(NAME, { mode: 'throttle', bytesPerSecond: 1_000_000 }));
    expect(res.complete).toBe(true);
    expect(res.body.equals(full)).toBe(true);
    expect(res.elapsedMs).toBeGreaterThanOrEqual(150);
  });

  it('status 503 with Retry-After seconds for the first K requests, then the file', async () => {
    const url = origin.url(NAME, { mode: 'status', status: 503, retryAfter: 2, times: 2 });
    const a = await rawRequest(url);
    const b = await rawRequest(url);
    const c = await rawRequest(url);
    expect([a.status, b.status, c.status]).toEqual([503, 503, 200]);
    expect(a.headers['retry-after']).toBe('2');
    expect(a.body.length).toBe(0);
    expect(c.body.equals(full)).toBe(true);
  });

  it('status 429 with Retry-After as an HTTP-date in the future', async () => {
    const before = Date.now();
    const res = await rawRequest(
      origin.url(NAME, { mode: 'status', status: 429, retryAfter: 3, retryAfterFormat: 'date', times: 1 }),
    );
    expect(res.status).toBe(429);
    const date = Date.parse(String(res.headers['retry-after']));
    expect(date).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3000);
    expect(res.headers['retry-after']).toMatch(/GMT$/);
  });

  it('status with enforce: a request before the announced moment is refused again as status-early', async () => {
    const url = origin.url(NAME, { mode: 'status', status: 503, retryAfter: 2, enforce: true, times: 1 });
    const first = await rawRequest(url);
    const tooSoon = await rawRequest(url);
    expect([first.status, tooSoon.status]).toEqual([503, 503]);
    expect(Number(tooSoon.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(origin.stats.perRequest.map((record) => record.faults)).toEqual([['status'], ['status-early']]);
  });

  it('ignore-range: 200 and the full body to a ranged request', async () => {
    const res = await rawRequest(origin.url(NAME, { mode: 'ignore-range' }), {
      headers: { range: 'bytes=100-199' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-range']).toBeUndefined();
    expect(res.body.equals(full)).toBe(true);
  });

  it('wrong-range-start: 206 starting elsewhere than asked, with matching bytes', async () => {
    const res = await rawRequest(origin.url(NAME, { mode: 'wrong-range-start', shift: 7 }), {
      headers: { range: 'bytes=100-199' },
    });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 107-206/${SIZE}`);
    expect(res.body.equals(full.subarray(107, 207))).toBe(true);
    const atZero = await rawRequest(origin.url(NAME, { mode: 'wrong-range-start', shift: -7 }), {
      headers: { range: 'bytes=0-99' },
    });
    expect(atZero.headers['content-range']).toBe(`bytes 7-106/${SIZE}`);
  });

  it('short-206: fewer bytes than asked, Content-Range says so', async () => {
    const res = await rawRequest(origin.url(NAME, { mode: 'short-206', maxBytes: 1000 }), {
      headers: { range: 'bytes=5000-' },
    });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 5000-5999/${SIZE}`);
    expect(res.headers['content-length']).toBe('1000');
    expect(res.complete).toBe(true);
    expect(res.body.equals(full.subarray(5000, 6000))).toBe(true);
  });

  it('early-start: 206 starting N bytes before the asked start, same end, honestly labelled', async () => {
    const res = await rawRequest(origin.url(NAME, { mode: 'early-start', bytes: 40, times: 1 }), {
      headers: { range: 'bytes=100-199' },
    });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 60-199/${SIZE}`);
    expect(res.body.equals(full.subarray(60, 200))).toBe(true);
    // A range from byte 0 cannot start earlier: not bitten, and `times` is not used up by it.
    const atZero = await rawRequest(origin.url(NAME, { mode: 'early-start', bytes: 40, times: 1 }), {
      headers: { range: 'bytes=0-99' },
    });
    expect(atZero.headers['content-range']).toBe(`bytes 0-99/${SIZE}`);
    expect(origin.stats.perRequest.map((r) => r.faults)).toEqual([['early-start'], []]);
  });

  it('late-end: 206 ending N bytes after the asked end, clamped at the size', async () => {
    const res = await rawRequest(origin.url(NAME, { mode: 'late-end', bytes: 50 }), {
      headers: { range: 'bytes=100-199' },
    });
    expect(res.headers['content-range']).toBe(`bytes 100-249/${SIZE}`);
    expect(res.headers['content-length']).toBe('150');
    expect(res.body.equals(full.subarray(100, 250))).toBe(true);
    const nearEnd = await rawRequest(origin.url(NAME, { mode: 'late-end', bytes: 50 }), {
      headers: { range: `bytes=${SIZE - 70}-${SIZE - 31}` },
    });
    expect(nearEnd.headers['content-range']).toBe(`bytes ${SIZE - 70}-${SIZE - 1}/${SIZE}`);
    const atEnd = await rawRequest(origin.url(NAME, { mode: 'late-end', bytes: 50 }), {
      headers: { range: `bytes=${SIZE - 10}-` },
    });
    expect(atEnd.headers['content-range']).toBe(`bytes ${SIZE - 10}-${SIZE - 1}/${SIZE}`);
    expect(origin.stats.perRequest.map((r) => r.faults)).toEqual([['late-end'], ['late-end'], []]);
  });

  it('change: after request K the resource has a new ETag and other bytes; old If-Range gets 200', async () => {
    origin.addFile('change.bin', 50_000);
    const v1 = origin.info('change.bin');
    const url = origin.url('change.bin', { mode: 'change', afterRequests: 1 });
    const first = await rawRequest(url);
    expect(first.headers.etag).toBe(v1.etag);
    const second = await rawRequest(url, { headers: { range: 'bytes=100-', 'if-range': v1.etag } });
    const v2 = origin.info('change.bin');
    expect(v2.etag).not.toBe(v1.etag);
    expect(v2.lastModified).not.toBe(v1.lastModified);
    expect(second.status).toBe(200);
    expect(second.headers.etag).toBe(v2.etag);
    expect(sha256(second.body)).toBe(v2.sha256);
    expect(origin.stats.perRequest.map((record) => record.etag)).toEqual([v1.etag, v2.etag]);
    expect(v2.sha256).not.toBe(v1.sha256);
  });

  it('change with every: a new version at each request after K', async () => {
    origin.addFile('every.bin', 1000);
    const url = origin.url('every.bin', { mode: 'change', afterRequests: 1, every: true });
    const etags = [];
    for (let i = 0; i < 4; i += 1) etags.push((await rawRequest(url)).headers.etag);
    expect(new Set(etags).size).toBe(4);
    expect(origin.info('every.bin').version).toBe(4);
  });

  it('change with cutAfterBytes: request K is cut there and the resource changes at that moment', async () => {
    origin.addFile('cut.bin', 50_000);
    const v1 = origin.info('cut.bin');
    const url = origin.url('cut.bin', { mode: 'change', afterRequests: 1, cutAfterBytes: 20_000 });
    const probe = await rawRequest(url, { headers: { range: 'bytes=0-0' } });
    expect(probe.complete).toBe(true);
    const cut = await rawRequest(url);
    expect(cut.complete).toBe(false);
    expect(cut.body.length).toBe(20_000);
    expect(cut.headers.etag).toBe(v1.etag);
    expect(origin.info('cut.bin').etag).not.toBe(v1.etag);
  });

  it('a cut at byte 0 still sends the headers first', async () => {
    const reset = await rawRequest(origin.url(NAME, { mode: 'reset', afterBytes: 0 }));
    expect(reset.status).toBe(200);
    expect(reset.body.length).toBe(0);
    expect(reset.complete).toBe(false);
    const closed = await rawRequest(origin.url(NAME, { mode: 'long-content-length', missingBytes: SIZE }));
    expect(closed.status).toBe(200);
    expect(closed.headers['content-length']).toBe(String(SIZE));
    expect(closed.body.length).toBe(0);
    expect(closed.complete).toBe(false);
  });

  it('long-content-length: declares the full length, sends less, closes', async () => {
    const res = await rawRequest(origin.url(NAME, { mode: 'long-content-length', missingBytes: 500 }));
    expect(res.headers['content-length']).toBe(String(SIZE));
    expect(res.complete).toBe(false);
    expect(res.body.length).toBe(SIZE - 500);
    expect(origin.stats.perRequest[0]?.bytes).toBe(SIZE - 500);
  });

  it('long-content-length with afterBytes: only longer bodies are cut, there, and every byte sent arrives', async () => {
    const url = origin.url(NAME, { mode: 'long-content-length', afterBytes: 50_000, times: 1 });
    const short = await rawRequest(url, { headers: { range: 'bytes=0-999' } });
    expect(short.complete).toBe(true);
    const cut = await rawRequest(url);
    expect(cut.complete).toBe(false);
    expect(cut.body.equals(full.subarray(0, 50_000))).toBe(true);
    expect((await rawRequest(url)).complete).toBe(true);
  });

  it('truncated-chunked: chunked body without its terminating chunk', async () => {
    const res = await rawRequest(origin.url(NAME, { mode: 'truncated-chunked', afterBytes: 3000 }));
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.complete).toBe(false);
    expect(res.body.equals(full.subarray(0, 3000))).toBe(true);
  });

  it('gzip: only when the client allows it, unless forced', async () => {
    const url = origin.url(NAME, { mode: 'gzip' });
    const identity = await rawRequest(url, { headers: { 'accept-encoding': 'identity' } });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.equals(full)).toBe(true);
    const allowed = await rawRequest(url, { headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(allowed.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(allowed.body).equals(full)).toBe(true);
    const refusedButForced = await rawRequest(origin.url(NAME, { mode: 'gzip', force: true }), {
      headers: { 'accept-encoding': 'identity', range: 'bytes=10-109' },
    });
    expect(refusedButForced.status).toBe(206);
    expect(refusedButForced.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(refusedButForced.body).equals(full.subarray(10, 110))).toBe(true);
  });

  it('redirect: a chain of N hops ending at the file', async () => {
    let url = origin.url(NAME, { mode: 'redirect', hops: 3, status: 307 });
    const statuses: number[] = [];
    for (let hop = 0; hop < 10; hop += 1) {
      const res = await rawRequest(url);
      statuses.push(res.status);
      if (res.status !== 307) {
        expect(res.body.equals(full)).toBe(true);
        break;
      }
      url = new URL(String(res.headers.location), url).toString();
    }
    expect(statuses).toEqual([307, 307, 307, 200]);
  });

  it('redirect-loop: always redirects', async () => {
    const url = origin.url(NAME, { mode: 'redirect-loop' });
    for (let hop = 0; hop < 5; hop += 1) {
      const res = await rawRequest(url);
      expect(res.status).toBe(302);
      expect(new URL(String(res.headers.location), url).toString()).toBe(url);
    }
  });

  it('redirect-to: sends the client to another host:port', async () => {
    const other = await startFaultOrigin({ files: { [NAME]: 10 } });
    try {
      const res = await rawRequest(origin.url(NAME, { mode: 'redirect-to', location: other.url(NAME) }));
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(other.url(NAME));
      expect(other.baseUrl).not.toBe(origin.baseUrl);
    } finally {
      await other.close();
    }
  });

  it('wrong-bytes: one byte flipped at the offset, headers unchanged', async () => {
    const res = await rawRequest(origin.url(NAME, { mode: 'wrong-bytes', offset: 12_345 }), {
      headers: { range: 'bytes=12000-12999' },
    });
    expect(res.status).toBe(206);
    expect(res.headers['content-length']).toBe('1000');
    const expected = Buffer.from(full.subarray(12_000, 13_000));
    expect(res.body.equals(expected)).toBe(false);
    expected[345] = (expected[345] ?? 0) ^ 0xff;
    expect(res.body.equals(expected)).toBe(true);
    const elsewhere = await rawRequest(origin.url(NAME, { mode: 'wrong-bytes', offset: 12_345 }), {
      headers: { range: 'bytes=0-999' },
    });
    expect(elsewhere.body.equals(full.subarray(0, 1000))).toBe(true);
  });

  it('weak-etag: W/ ETag; If-Range with it gets 200, with Last-Modified gets 206', async () => {
    const url = origin.url(NAME, { mode: 'weak-etag' });
    const first = await rawRequest(url, { method: 'HEAD' });
    const weak = String(first.headers.etag);
    expect(weak).toBe(`W/${origin.info(NAME).etag}`);
    const byEtag = await rawRequest(url, { headers: { range: 'bytes=0-9', 'if-range': weak } });
    expect(byEtag.status).toBe(200);
    const byDate = await rawRequest(url, {
      headers: { range: 'bytes=0-9', 'if-range': String(first.headers['last-modified']) },
    });
    expect(byDate.status).toBe(206);
  });

  it('digest: Repr-Digest and x-amz-checksum-sha256 of the full representation, right or wrong', async () => {
    const right = Buffer.from(origin.info(NAME).sha256, 'hex').toString('base64');
    const repr = await rawRequest(origin.url(NAME, { mode: 'digest', header: 'repr-digest' }), {
      headers: { range: 'bytes=0-9' },
    });
    expect(repr.headers['repr-digest']).toBe(`sha-256=:${right}:`);
    const amzUrl = origin.url(NAME, { mode: 'digest', header: 'x-amz-checksum-sha256' });
    const amz = await rawRequest(amzUrl);
    expect(amz.headers['x-amz-checksum-sha256']).toBe(right);
    const amzRanged = await rawRequest(amzUrl, { headers: { range: 'bytes=0-9' } });
    expect(amzRanged.headers['x-amz-checksum-sha256']).toBeUndefined();
    const wrong = await rawRequest(origin.url(NAME, { mode: 'digest', header: 'repr-digest', wrong: true }));
    expect(wrong.headers['repr-digest']).toMatch(/^sha-256=:.+:$/);
    expect(wrong.headers['repr-digest']).not.toBe(`sha-256=:${right}:`);
    expect(wrong.body.equals(full)).toBe(true);
  });

  it('per-path faults apply without a query; a query fault (or none) overrides them', async () => {
    origin.setFaults(NAME, { mode: 'status', status: 503 });
    try {
      expect((await rawRequest(origin.url(NAME))).status).toBe(503);
      expect((await rawRequest(origin.url(NAME, { mode: 'none' }))).status).toBe(200);
    } finally {
      origin.setFaults(NAME, undefined);
    }
    expect((await rawRequest(origin.url(NAME))).status).toBe(200);
  });

  it('rejects an unknown fault with 400 and a reason', async () => {
    const res = await rawRequest(`${origin.baseUrl}/${NAME}?f=explode`);
    expect(res.status).toBe(400);
    expect(res.body.toString()).toContain('unknown fault mode "explode"');
  });
});
