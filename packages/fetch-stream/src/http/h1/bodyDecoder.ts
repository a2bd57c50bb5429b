import { ProtocolError } from '../../errors.js';

/** Longest chunk-size line (size, extensions, CRLF) accepted. */
const MAX_CHUNK_LINE = 4096;
/** Longest trailer section accepted. */
const MAX_TRAILERS = 16 * 1024;

/** How a response body is delimited (RFC 9112 §6.3). */
export type BodyFraming =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' }
  /** Until the server closes the connection. */
  | { readonly kind: 'close' };

/**
 * Splits the bytes that follow a response head into body slices, without copying, and says
 * when the body is complete. Input arrives in arbitrary pieces; state carries across them.
 */
export class BodyDecoder {
  private remaining: number;
  private state: 'size' | 'data' | 'dataEnd' | 'trailers' | 'done' | 'raw';
  private line = '';
  private trailerBytes = 0;

  constructor(readonly framing: BodyFraming) {
    switch (framing.kind) {
      case 'none':
        this.remaining = 0;
        this.state = 'done';
        break;
      case 'length':
        this.remaining = framing.length;
        this.state = framing.length === 0 ? 'done' : 'data';
        break;
      case 'chunked':
        this.remaining = 0;
        this.state = 'size';
        break;
      case 'close':
        this.remaining = Number.POSITIVE_INFINITY;
        this.state = 'raw';
        break;
    }
  }

  /** True once every byte of the body (and a chunked body's trailers) has been seen. */
  get done(): boolean {
    return this.state === 'done';
  }

  /**
   * Consumes `bytes[start, end)`. Returns the index where consumption stopped: `end`, or
   * earlier when the body finished (what follows belongs to no response of ours).
   * `onSlice` may be called several times; it returns false to pause, and `feed` then
   * returns the index just past that slice.
   */
  feed(bytes: Uint8Array, start: number, end: number, onSlice: (s: number, e: number) => boolean): number {
    let i = start;
    while (i < end && this.state !== 'done') {
      switch (this.state) {
        case 'raw': {
          const more = onSlice(i, end);
          i = end;
          if (!more) return i;
          break;
        }
        case 'data': {
          const n = Math.min(this.remaining, end - i);
          const s = i;
          i += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = this.framing.kind === 'chunked' ? 'dataEnd' : 'done';
          if (!onSlice(s, i)) return i;
          break;
        }
        case 'size':
        case 'dataEnd':
        case 'trailers':
          i = this.feedLine(bytes, i, end);
          break;
      }
    }
    return i;
  }

  /** Called at end of input: a close-delimited body is then complete, any other is not. */
  endOfInput(): boolean {
    if (this.state === 'raw') this.state = 'done';
    return this.state === 'done';
  }

  private feedLine(bytes: Uint8Array, start: number, end: number): number {
    let i = start;
    while (i < end) {
      const b = bytes[i++] as number;
      if (b === 0x0a) {
        const text = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
        this.line = '';
        this.onLine(text);
        return i;
      }
      this.line += String.fromCharCode(b);
      // After chunk data only CRLF may follow: anything else means the sizes lie.
      if (this.state === 'dataEnd' && this.line !== '\r')
        throw new ProtocolError('A chunk is not followed by CRLF.');
      if (this.state === 'trailers') {
        if (++this.trailerBytes > MAX_TRAILERS)
          throw new ProtocolError('The chunked body trailers are too large.');
      } else if (this.line.length > MAX_CHUNK_LINE) {
        throw new ProtocolError('A chunk-size line is too long.');
      }
    }
    return i;
  }

  private onLine(text: string): void {
    if (this.state === 'dataEnd') {
      if (text !== '') throw new ProtocolError('A chunk is not followed by CRLF.');
      this.state = 'size';
      return;
    }
    if (this.state === 'trailers') {
      if (text === '') this.state = 'done';
      return;
    }
    const sizeText = (text.split(';', 1)[0] as string).trim();
    if (!/^[0-9a-fA-F]{1,13}$/.test(sizeText)) {
      throw new ProtocolError(`Invalid chunk size ${JSON.stringify(sizeText.slice(0, 20))}.`);
    }
    const size = Number.parseInt(sizeText, 16);
    if (size === 0) {
      this.state = 'trailers';
    } else {
      this.remaining = size;
      this.state = 'data';
    }
  }
}

/** Chooses the framing of a response to a GET (RFC 9112 §6.3). */
export function framingOf(
  statusCode: number,
  transferEncoding: string | undefined,
  contentLength: string | undefined,
): BodyFraming {
  if (statusCode < 200 || statusCode === 204 || statusCode === 304) return { kind: 'none' };
  if (transferEncoding !== undefined) {
    const codings = transferEncoding
      .split(',')
      .map((c) => c.trim().toLowerCase())
      .filter((c) => c !== '');
    if (codings[codings.length - 1] === 'chunked') {
      if (codings.length > 1) throw new ProtocolError(`Unsupported transfer coding ${transferEncoding}.`);
      return { kind: 'chunked' };
    }
    if (codings.length > 0) throw new ProtocolError(`Unsupported transfer coding ${transferEncoding}.`);
  }
  if (contentLength !== undefined) return { kind: 'length', length: Number(contentLength) };
  return { kind: 'close' };
}
