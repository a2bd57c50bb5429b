import type { IncomingHttpHeaders } from 'node:http';
import { ProtocolError } from '../../errors.js';
import { FIELD_NAME, FIELD_VALUE } from './fieldSyntax.js';

/** Largest response head (status line + headers) accepted; Node's own default is 16 KiB. */
export const MAX_HEAD_BYTES = 64 * 1024;

/** A parsed status line and header section. */
export interface ResponseHead {
  readonly statusCode: number;
  readonly statusMessage: string;
  /** Minor version: 1 for HTTP/1.1, 0 for HTTP/1.0. */
  readonly minorVersion: 0 | 1;
  /** Lower-cased names, as node:http presents them. */
  readonly headers: IncomingHttpHeaders;
}

// Headers a server sends once; a repeat is ignored, as node:http does. Content-Length is not
// here: repeats must agree (a disagreement is how responses get smuggled) and are checked apart.
const SINGLETONS = new Set([
  'age',
  'content-range',
  'content-type',
  'etag',
  'expires',
  'last-modified',
  'location',
  'retry-after',
  'server',
]);

const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/;

/**
 * Index just past the blank line ending a head in `bytes[0, length)`, or -1 while incomplete.
 * Lines end in CRLF; a bare LF is tolerated (RFC 9112 §2.2).
 */
export function findHeadEnd(bytes: Uint8Array, length: number): number {
  for (let i = 0; i < length; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (i + 1 < length && bytes[i + 1] === 0x0a) return i + 2;
    if (i + 2 < length && bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

/** Parses a complete head (including its terminating blank line) decoded as latin1. */
export function parseResponseHead(text: string): ResponseHead {
  const lines = text.split(/\r?\n/);
  const statusLine = lines[0] ?? '';
  const m = STATUS_LINE.exec(statusLine);
  if (m === null)
    throw new ProtocolError(`Malformed HTTP status line ${JSON.stringify(statusLine.slice(0, 80))}.`);
  const headers: IncomingHttpHeaders = {};
  const lengths: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    if (line[0] === ' ' || line[0] === '\t') {
      // Obsolete line folding (RFC 9112 §5.2): refused rather than guessed at.
      throw new ProtocolError('A response header uses obsolete line folding.');
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!FIELD_NAME.test(name))
      throw new ProtocolError(`Malformed response header line ${JSON.stringify(line.slice(0, 80))}.`);
    const value = line.slice(colon + 1).trim();
    if (!FIELD_VALUE.test(value))
      throw new ProtocolError(`Response header ${name} has a forbidden character.`);
    addHeader(headers, lengths, name.toLowerCase(), value);
  }
  if (lengths.length > 0) headers['content-length'] = agreedLength(lengths);
  return {
    statusCode: Number(m[2]),
    statusMessage: m[3] ?? '',
    minorVersion: m[1] === '1' ? 1 : 0,
    headers,
  };
}

function addHeader(headers: IncomingHttpHeaders, lengths: string[], name: string, value: string): void {
  if (name === 'content-length') {
    lengths.push(...value.split(',').map((v) => v.trim()));
    return;
  }
  const existing = headers[name];
  if (name === 'set-cookie') {
    headers[name] = [...(existing ?? []), value];
  } else if (existing === undefined) {
    headers[name] = value;
  } else if (!SINGLETONS.has(name)) {
    headers[name] = `${String(existing)}, ${value}`;
  }
}

function agreedLength(values: string[]): string {
  const first = values[0] as string;
  if (!/^\d{1,16}$/.test(first) || values.some((v) => v !== first)) {
    throw new ProtocolError(`Invalid or conflicting Content-Length (${values.join(', ')}).`);
  }
  return first;
}
