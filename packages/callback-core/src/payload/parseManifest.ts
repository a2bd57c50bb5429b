/** Manifest or list-API documents → the file list. */
import { decodeJson } from './decodeJson.js';
import { locateList } from './extractFileList.js';
import { normaliseFileEntries } from './normaliseFileEntries.js';
import type { FileEntry, PayloadProfile } from './types.js';

/**
 * Parses a manifest (or the provider's list-API answer) fetched from the URL that
 * `extractFileList` returned, and normalises its list: found at `profile.files.path` (default:
 * the document if it is an array, else its `files`), validated entry by entry, keys made safe
 * and unique.
 *
 * @param bytes - the document exactly as downloaded; at most `profile.limits.maxManifestBytes`
 * @throws {@link BodyTooLargeError} over the cap; {@link InvalidPayloadError} for bad UTF-8,
 *   bad JSON or bad entries (every problem with its path)
 */
export function parseManifest(
  bytes: Uint8Array,
  profile: PayloadProfile,
): { readonly kind: 'files'; readonly files: readonly FileEntry[] } {
  const document = decodeJson(bytes, profile.limits.maxManifestBytes, 'manifest');
  const files = normaliseFileEntries(
    locateList(document, profile.files),
    profile.files,
    profile.limits,
    profile.urlPolicy,
  );
  return { kind: 'files', files };
}
