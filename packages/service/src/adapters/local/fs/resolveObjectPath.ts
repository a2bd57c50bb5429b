/** Maps an object key to a path under a root folder, refusing anything that could escape it. */
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ObjectKeyError } from '../../../domain/errors.js';

/**
 * `root` + `key` as a path. Keys are `/`-separated relative keys; empty, `.` and `..`
 * segments, backslashes and NUL are refused even though callback-core's `sanitizeObjectKey`
 * already removed them: this is the last line before the file system.
 *
 * @throws {@link ObjectKeyError} for an unsafe key
 */
export function resolveObjectPath(root: string, key: string): string {
  const segments = key.split('/');
  const unsafe =
    key.length === 0 ||
    key.includes('\\') ||
    key.includes('\0') ||
    isAbsolute(key) ||
    segments.some((segment) => segment === '' || segment === '.' || segment === '..');
  if (unsafe) throw new ObjectKeyError(key);
  const base = resolve(root);
  const path = join(base, ...segments);
  const rel = relative(base, path);
  if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw new ObjectKeyError(key);
  return path;
}
