/** Strict JSON decoding of a raw body. */
import { HttpError, type HttpErrorCode } from './HttpError.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes strict UTF-8 JSON.
 * @throws {@link HttpError} 400 with `code`
 */
export function parseJsonBody(body: Uint8Array, code: HttpErrorCode): unknown {
  try {
    return JSON.parse(decoder.decode(body));
  } catch (error) {
    throw new HttpError(400, code, 'The body is not valid UTF-8 JSON.', { cause: error });
  }
}
