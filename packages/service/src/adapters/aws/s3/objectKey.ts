/** Maps a store key to an S3 key under the delivery prefix, refusing anything that could escape it. */
import { ObjectKeyError } from '../../../domain/errors.js';

/**
 * `prefix` + `key`. Keys are `/`-separated relative keys; empty, `.` and `..` segments,
 * backslashes, NUL and a leading `/` are refused even though callback-core's `sanitizeObjectKey`
 * already removed them: this is the last line before the bucket.
 *
 * @throws {@link ObjectKeyError} for an unsafe key
 */
export function s3KeyFor(prefix: string, key: string): string {
  const unsafe =
    key.length === 0 ||
    key.length > 1024 - prefix.length ||
    key.includes('\\') ||
    key.includes('\0') ||
    key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
  if (unsafe) throw new ObjectKeyError(key);
  return `${prefix}${key}`;
}
