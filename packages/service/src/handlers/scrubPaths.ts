/** File errors as the API shows them: paths relative to the delivery, never the server's own. */
import { sep } from 'node:path';
import type { ObjectStore } from '../ports/ObjectStore.js';

/**
 * Rewrites every absolute path under the object store's local root in `message` (a sink's "Cannot
 * open /srv/downloads/<id>/a.bin.part …") relative to the delivery's folder (`a.bin.part`), or
 * to the root for another delivery's path: the API and the dashboard never reveal where the
 * server keeps its files.
 */
export function scrubPaths(message: string, objects: ObjectStore, deliveryId: string): string {
  const root = objects.localRoot;
  if (root === undefined) return message;
  return message
    .split(`${root}${sep}${deliveryId}${sep}`)
    .join('')
    .split(`${root}${sep}`)
    .join('')
    .split(root)
    .join('.');
}
