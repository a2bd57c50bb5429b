/** Types of a normalised file list. */
import type { FilesSource, PayloadLimits } from '../profile/types.js';
import type { UrlPolicy } from '../urlPolicy/types.js';

/** Checksums a provider declared for a file: lower-case hex. */
export interface FileChecksums {
  /** 64 hex digits. */
  readonly sha256?: string;
  /** 32 hex digits. */
  readonly md5?: string;
  /** CRC32C (Castagnoli), 8 hex digits, big-endian. */
  readonly crc32c?: string;
}

/** One file to fetch. */
export interface FileEntry {
  /** Absolute http(s) URL that passed the profile's URL policy (statically; the connect guard still applies). */
  readonly url: string;
  /**
   * Safe relative object key: the provider's name (or the URL's last path segment) after
   * `sanitizeObjectKey`, made unique within the list (`a.txt`, `a (2).txt`, …).
   */
  readonly name: string;
  /** Size in bytes when the provider declared it. */
  readonly size?: number;
  readonly checksums?: FileChecksums;
}

/**
 * Where the files are, after normalising a callback:
 * - `files`: the list itself;
 * - `manifest`: fetch `url` (through the connect guard) and pass the bytes to `parseManifest`;
 * - `list-api`: the same for the provider's list API (`GET <listUrl>?projectID=<id>`).
 */
export type FileListRef =
  | { readonly kind: 'files'; readonly files: readonly FileEntry[] }
  | { readonly kind: 'manifest'; readonly url: string }
  | { readonly kind: 'list-api'; readonly url: string };

/** The parts of a provider profile the payload functions read. */
export interface PayloadProfile {
  readonly files: FilesSource;
  readonly limits: PayloadLimits;
  readonly urlPolicy: UrlPolicy;
  readonly maxBodyBytes: number;
}
