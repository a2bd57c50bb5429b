/** Content-Type checks. */
import { HttpError } from './HttpError.js';

/** The bare media type of a Content-Type header, lower-case (`application/json`), or '' when absent. */
export function mediaTypeOf(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** True for `application/json` and any `+json` structured-syntax type. */
export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

/**
 * Refuses a request whose media type is not accepted.
 *
 * @param alsoAccept - extra exact media types (SNS posts JSON as `text/plain`)
 * @throws {@link HttpError} 415 `unsupported_media_type`
 */
export function requireJsonMediaType(
  contentType: string | null | undefined,
  alsoAccept: readonly string[] = [],
): void {
  // What nearly every provider sends, checked before any string is split or lower-cased.
  if (contentType === 'application/json') return;
  const mediaType = mediaTypeOf(contentType);
  if (isJsonMediaType(mediaType) || alsoAccept.includes(mediaType)) return;
  throw new HttpError(
    415,
    'unsupported_media_type',
    `Content-Type "${mediaType || '(none)'}" is not accepted; send application/json.`,
  );
}
