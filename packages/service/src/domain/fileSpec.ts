/** A file to fetch, before any download: what a file list resolves to. */
import type { ExpectedChecksums } from './delivery.js';

/**
 * One entry of a resolved file list. Structurally the same as callback-core's `FileEntry`
 * (`url`, `name`, `size`, `checksums`), so its output can be passed straight in.
 */
export interface FileSpec {
  /** Absolute http(s) URL that passed the provider's URL policy. */
  readonly url: string;
  /** Sanitised, unique object key relative to the delivery prefix. */
  readonly name: string;
  readonly size?: number;
  readonly checksums?: ExpectedChecksums;
}
