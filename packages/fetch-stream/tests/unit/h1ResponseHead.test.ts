import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/errors.js';
import { findHeadEnd, parseResponseHead } from '../../src/http/h1/responseHead.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('findHeadEnd', () => {
  it('finds the blank line after CRLF lines, and after bare LF lines', () => {
    const crlf = bytes('HTTP/1.1 200 OK\r\nA: b\r\n\r\nBODY');
    expect(findHeadEnd(crlf, crlf.length)).toBe(crlf.length - 4);
    const lf = bytes('HTTP/1.1 200 OK\nA: b\n\nBODY');
    expect(findHeadEnd(lf, lf.length)).toBe(lf.length - 4);
  });

  it('says -1 while the head is incomplete, also when the input stops inside the blank line', () => {
    const head = bytes('HTTP/1.1 200 OK\r\nA: b\r\n\r');
    expect(findHeadEnd(head, head.length)).toBe(-1);
  });
});

describe('parseResponseHead', () => {
  it('reads the status, the version and lower-cased headers', () => {
    const h = parseResponseHead(
      'HTTP/1.0 206 Partial Content\r\nContent-Range: bytes 0-9/100\r\nETag: "x"\r\n\r\n',
    );
    expect(h.statusCode).toBe(206);
    expect(h.statusMessage).toBe('Partial Content');
    expect(h.minorVersion).toBe(0);
    expect(h.headers).toEqual({ 'content-range': 'bytes 0-9/100', etag: '"x"' });
  });

  it('joins repeated list headers, keeps the first of a singleton, and collects set-cookie', () => {
    const h = parseResponseHead(
      'HTTP/1.1 200 OK\r\nVary: a\r\nVary: b\r\nETag: "1"\r\nETag: "2"\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n',
    );
    expect(h.headers.vary).toBe('a, b');
    expect(h.headers.etag).toBe('"1"');
    expect(h.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('accepts repeated Content-Length values that agree and refuses ones that do not', () => {
    expect(
      parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n').headers[
        'content-length'
      ],
    ).toBe('5');
    expect(
      parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n').headers['content-length'],
    ).toBe('5');
    expect(() =>
      parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n'),
    ).toThrow(ProtocolError);
    expect(() => parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n')).toThrow(
      /Content-Length/,
    );
    expect(() => parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n')).toThrow(
      /Content-Length/,
    );
  });

  it.each([
    ['a malformed status line', 'HTTP/2 200 OK\r\n\r\n', /status line/],
    ['a status that is not three digits', 'HTTP/1.1 20 OK\r\n\r\n', /status line/],
    ['obsolete line folding', 'HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n', /folding/],
    ['a header without a colon', 'HTTP/1.1 200 OK\r\nnot a header\r\n\r\n', /header line/],
    ['a space in a header name', 'HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n', /header line/],
    ['a NUL in a header value', 'HTTP/1.1 200 OK\r\nA: b\u0000c\r\n\r\n', /forbidden character/],
  ])('refuses %s with a ProtocolError', (_name, head, message) => {
    expect(() => parseResponseHead(head)).toThrow(ProtocolError);
    expect(() => parseResponseHead(head)).toThrow(message);
  });
});
