/** Raw bytes → JSON value, refusing anything that is not valid UTF-8 JSON. */
import { BodyTooLargeError, InvalidPayloadError } from '../errors.js';
import { JsonDepthScanner, MAX_JSON_DEPTH } from './jsonDepth.js';

/**
 * Decodes `bytes` as strict UTF-8 (no U+FFFD substitution: a stray 0xFF is an error, not a
 * character) and parses it as JSON.
 *
 * @param maxBytes - larger inputs are refused before decoding
 * @throws {@link BodyTooLargeError} over `maxBytes`
 * @throws {@link InvalidPayloadError} for nesting deeper than {@link MAX_JSON_DEPTH}, invalid UTF-8 or invalid JSON
 */
export function decodeJson(bytes: Uint8Array, maxBytes: number, what = 'body'): unknown {
  if (bytes.byteLength > maxBytes) throw new BodyTooLargeError(bytes.byteLength, maxBytes);
  // Before the parse: deep nesting costs the parser time and memory out of all proportion.
  if (!new JsonDepthScanner().feed(bytes)) {
    throw new InvalidPayloadError([
      { path: '', message: `the ${what} nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
  }
  let text: string;
  try {
    // fatal: refuse malformed UTF-8; the default BOM handling drops one leading BOM.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new InvalidPayloadError([{ path: '', message: `the ${what} is not valid UTF-8` }], {
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Deeply nested input can overflow the stack (RangeError); it is still just bad input.
    throw new InvalidPayloadError([{ path: '', message: `the ${what} is not valid JSON` }], { cause: error });
  }
}
