/** Reads a request body into memory, refusing it as soon as it passes a byte cap. */
import { HttpError } from './HttpError.js';

/**
 * Reads `request`'s body, at most `maxBytes`. A declared `Content-Length` above the cap is
 * refused before reading anything; a declared length within the cap is read whole (the parser
 * stops at it); without one the stream is read chunk by chunk and cancelled the moment the cap is
 * passed, so a lying or absent length cannot make the server buffer more.
 *
 * @throws {@link HttpError} 413 `body_too_large`
 */
export async function readBodyWithCap(request: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = (bytes: string) =>
    new HttpError(413, 'body_too_large', `The body is ${bytes} bytes; the limit here is ${maxBytes} bytes.`);
  const declared = request.headers.get('content-length');
  const declaredLength = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined;
  if (declaredLength !== undefined && declaredLength > maxBytes) throw tooLarge(declared ?? '');
  if (declaredLength !== undefined) {
    // A declared length within the cap: the HTTP parser delivers exactly that many bytes, so the
    // whole-body read cannot pass the cap, and it skips building a web stream per request (the
    // Node adapter reads the socket directly). Checked again after reading, for adapters that
    // do not hold the body to its declared length.
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw tooLarge(`more than ${maxBytes}`);
    return bytes;
  }
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
