/** Creates the folders of an object path under its root, refusing any that is a link. */
import { lstatSync, mkdirSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { ObjectPathError } from '../../../domain/errors.js';

/**
 * Walks from `root` (exclusive: the operator may point it anywhere) down to the folder of
 * `path`, creating missing folders and refusing any component that is a link or not a folder:
 * a link planted in a delivery's folder (by another local user, or left by anything else) would
 * make the download write wherever it points. Synchronous: a few `lstat`s per file, and the
 * callers (`targetFor`, `createSink`) are synchronous.
 *
 * A folder swapped for a link between this check and the open is not covered: on a shared
 * machine, give the downloads folder to the service's user alone (see the service README's
 * threat model).
 *
 * @param create - false for readers: a missing folder is not created, and a missing or unsafe
 *   one answers false (nothing there is an object of ours) instead of throwing
 * @returns true when every folder exists (or was created)
 * @throws {@link ObjectPathError} naming the key-relative component (only with `create`)
 */
export function ensureRealFolders(root: string, path: string, create = true): boolean {
  const rel = relative(root, dirname(path));
  if (rel === '') return true;
  let at = root;
  for (const segment of rel.split(sep)) {
    at = `${at}${sep}${segment}`;
    let info: ReturnType<typeof lstatSync> | undefined;
    try {
      info = lstatSync(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (info === undefined) {
      if (!create) return false;
      try {
        mkdirSync(at);
      } catch (error) {
        // Another download of the same delivery made it meanwhile: judged below like any other.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      info = lstatSync(at);
    }
    if (!info.isDirectory()) {
      if (!create) return false;
      throw new ObjectPathError(relative(root, at));
    }
  }
  return true;
}
