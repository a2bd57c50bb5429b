/** Reads a request body into memory, refusing it as soon as it passes a byte cap. */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './HttpError.js';

/** What the caller already knows about the request besides the web `Request`. */
export interface BodySource {
  /**
   * The `Content-Length` value as received, `null` when there is none; when not given it is read
   * from `request.headers`. A caller that has the headers as a record passes it from there.
   */
  readonly contentLength?: string | null;
  /** The node:http request Hono wraps (see `nodeIncomingOf`), whose buffered body can be taken as is. */
  readonly incoming?: IncomingMessage;
}

/**
 * Reads `request`'s body, at most `maxBytes`. A declared `Content-Length` above the cap is
 * refused before reading anything. A declared length within the cap is read whole (the parser
 * stops at it); on node:http, when all of it has already arrived (the common case for a callback
 * of a few hundred bytes: it comes in the same packets as the headers), it is taken from the
 * request's buffer at once. Without a declared length the stream is read chunk by chunk and
 * cancelled the moment the cap is passed, so a lying or absent length cannot make the server
 * buffer more.
 *
 * Returns the bytes themselves when they were already in memory (no promise, no turn of the
 * microtask queue for the caller), a promise of them otherwise.
 *
 * @throws {@link HttpError} 413 `body_too_large`, thrown or as the promise's rejection
 */
export function readBodyWithCap(
  request: Request,
  maxBytes: number,
  source: BodySource = {},
): Uint8Array | Promise<Uint8Array> {
  const tooLarge = (bytes: string) =>
    new HttpError(413, 'body_too_large', `The body is ${bytes} bytes; the limit here is ${maxBytes} bytes.`);
  const declared =
    source.contentLength === undefined ? request.headers.get('content-length') : source.contentLength;
  const declaredLength = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined;
  if (declaredLength !== undefined && declaredLength > maxBytes) throw tooLarge(declared ?? '');
  if (declaredLength !== undefined) {
    const arrived =
      source.incoming === undefined ? undefined : takeArrivedBody(source.incoming, declaredLength);
    if (arrived !== undefined) return arrived;
    // A declared length within the cap: the HTTP parser delivers exactly that many bytes, so the
    // whole-body read cannot pass the cap, and it skips building a web stream per request (the
    // Node adapter reads the socket directly). Checked again after reading, for adapters that
    // do not hold the body to its declared length.
    return request.arrayBuffer().then((buffer) => {
      const bytes = new Uint8Array(buffer);
      if (bytes.byteLength > maxBytes) throw tooLarge(`more than ${maxBytes}`);
      return bytes;
    });
  }
  return readStreamWithCap(request, maxBytes, tooLarge);
}

/** The body without a declared length, chunk by chunk, cancelled the moment the cap is passed. */
async function readStreamWithCap(
  request: Request,
  maxBytes: number,
  tooLarge: (bytes: string) => HttpError,
): Promise<Uint8Array> {
  const body = request.body;
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(`more than ${maxBytes}`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * The whole body of `incoming` when all `declaredLength` bytes have already been received and
 * nobody has read from it yet, in one synchronous read of its buffer (no listeners, no promise, no
 * copy into a new ArrayBuffer); `undefined` otherwise, and then nothing was read. The parser never
 * buffers more than the declared length, so a buffer of exactly that size is the whole body, even
 * before the parser has marked the message complete (that comes a turn of the event loop later).
 * The request is then left flowing so it ends by itself; a later read through the web `Request`
 * fails as "unusable" instead of waiting.
 */
function takeArrivedBody(incoming: IncomingMessage, declaredLength: number): Uint8Array | undefined {
  if (
    incoming.readableLength !== declaredLength ||
    incoming.readableDidRead ||
    incoming.readableFlowing === true ||
    incoming.readableEncoding !== null ||
    incoming.destroyed
  ) {
    return undefined;
  }
  // With no encoding set the buffered chunks come back as one Buffer (null when there are none).
  const chunk = incoming.read() as Buffer | null;
  incoming.resume();
  // A plain view: a Buffer's `slice` shares memory where a Uint8Array's copies.
  return chunk === null
    ? new Uint8Array(0)
    : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
