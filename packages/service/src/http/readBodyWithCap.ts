/** Reads a request body into memory, refusing it as soon as it passes a byte cap. */
import { HttpError } from './HttpError.js';

/**
 * Reads `request`'s body, at most `maxBytes`. A declared `Content-Length` above the cap is
 * refused before reading anything; otherwise the stream is read chunk by chunk and cancelled the
 * moment the cap is passed, so a lying or absent length cannot make the server buffer more.
 *
 * @throws {@link HttpError} 413 `body_too_large`
 */
export async function readBodyWithCap(request: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = (bytes: string) =>
    new HttpError(413, 'body_too_large', `The body is ${bytes} bytes; the limit here is ${maxBytes} bytes.`);
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw tooLarge(declared);
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
