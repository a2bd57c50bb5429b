import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/errors.js';
import { BodyDecoder, framingOf } from '../../src/http/h1/bodyDecoder.js';

/** Feeds `input` in pieces of `step` bytes; returns the body and where the input was left. */
function decode(decoder: BodyDecoder, input: string, step = input.length): { body: string; rest: string } {
  const bytes = Buffer.from(input, 'latin1');
  let body = '';
  let at = 0;
  while (at < bytes.length && !decoder.done) {
    const end = Math.min(bytes.length, at + step);
    at = decoder.feed(bytes, at, end, (s, e) => {
      body += bytes.toString('latin1', s, e);
      return true;
    });
  }
  return { body, rest: bytes.toString('latin1', at) };
}

describe('framingOf', () => {
  it('follows RFC 9112 §6.3 for responses to a GET', () => {
    expect(framingOf(204, undefined, '10')).toEqual({ kind: 'none' });
    expect(framingOf(304, undefined, undefined)).toEqual({ kind: 'none' });
    expect(framingOf(200, 'chunked', '10')).toEqual({ kind: 'chunked' });
    expect(framingOf(200, undefined, '10')).toEqual({ kind: 'length', length: 10 });
    expect(framingOf(200, undefined, undefined)).toEqual({ kind: 'close' });
  });

  it('refuses transfer codings it cannot undo rather than storing coded bytes', () => {
    expect(() => framingOf(200, 'gzip, chunked', undefined)).toThrow(ProtocolError);
    expect(() => framingOf(200, 'gzip', undefined)).toThrow(/transfer coding/);
  });
});

describe('BodyDecoder', () => {
  it('delivers exactly Content-Length bytes and leaves what follows', () => {
    const d = new BodyDecoder({ kind: 'length', length: 5 });
    expect(decode(d, 'helloEXTRA', 3)).toEqual({ body: 'hello', rest: 'EXTRA' });
    expect(d.done).toBe(true);
  });

  it('decodes chunks split anywhere, with extensions and trailers', () => {
    const wire = '5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nDigest: x\r\n\r\nNEXT';
    for (const step of [1, 2, 7, wire.length]) {
      const d = new BodyDecoder({ kind: 'chunked' });
      expect(decode(d, wire, step)).toEqual({ body: 'hello world', rest: 'NEXT' });
      expect(d.done).toBe(true);
    }
  });

  it('is not done when a chunked body stops before its last chunk', () => {
    const d = new BodyDecoder({ kind: 'chunked' });
    expect(decode(d, '5\r\nhello\r\n').body).toBe('hello');
    expect(d.done).toBe(false);
    expect(d.endOfInput()).toBe(false);
  });

  it('counts a close-delimited body complete only at the end of input', () => {
    const d = new BodyDecoder({ kind: 'close' });
    expect(decode(d, 'abc').body).toBe('abc');
    expect(d.done).toBe(false);
    expect(d.endOfInput()).toBe(true);
    expect(d.done).toBe(true);
  });

  it.each([
    ['a chunk size that is not hex', 'zz\r\n'],
    ['a chunk not followed by CRLF', '3\r\nabcXY'],
    ['a chunk size beyond 2^52', '10000000000000\r\n'],
  ])('refuses %s with a ProtocolError', (_name, wire) => {
    const d = new BodyDecoder({ kind: 'chunked' });
    expect(() => decode(d, wire)).toThrow(ProtocolError);
  });

  it('refuses endless chunk-size lines and trailers instead of buffering them', () => {
    expect(() => decode(new BodyDecoder({ kind: 'chunked' }), `1${';x'.repeat(4096)}\r\n`)).toThrow(
      /too long/,
    );
    expect(() => decode(new BodyDecoder({ kind: 'chunked' }), `0\r\n${'T: v\r\n'.repeat(4000)}\r\n`)).toThrow(
      /trailers are too large/,
    );
  });

  it('pauses when the consumer says so and resumes where it stopped', () => {
    const d = new BodyDecoder({ kind: 'chunked' });
    const bytes = Buffer.from('3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n', 'latin1');
    const seen: string[] = [];
    const first = d.feed(bytes, 0, bytes.length, (s, e) => {
      seen.push(bytes.toString('latin1', s, e));
      return false;
    });
    expect(seen).toEqual(['abc']);
    d.feed(bytes, first, bytes.length, (s, e) => {
      seen.push(bytes.toString('latin1', s, e));
      return true;
    });
    expect(seen).toEqual(['abc', 'def']);
    expect(d.done).toBe(true);
  });
});
