/** The normalised callback: what the workflow needs from an accepted provider callback. */
import type { FileSpec } from './fileSpec.js';

/**
 * Where the files are, after the HTTP layer verified and normalised the callback. Structurally
 * the same as callback-core's `FileListRef`:
 * - `files`: the list itself (already sanitised and policy-checked);
 * - `manifest`: a document at `url` holds the list;
 * - `list-api`: the provider's list API at `url` answers with the list.
 */
export type FileListSource =
  | { readonly kind: 'files'; readonly files: readonly FileSpec[] }
  | { readonly kind: 'manifest'; readonly url: string }
  | { readonly kind: 'list-api'; readonly url: string };

/** What the store keeps of an accepted callback besides its receipt. */
export interface NormalisedCallback {
  readonly source: FileListSource;
}
