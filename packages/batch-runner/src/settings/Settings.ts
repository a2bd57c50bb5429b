/** Everything one run needs, from flags and environment variables. */
export interface Settings {
  readonly url: string;
  /** S3 target (absent with `toFile`). */
  readonly s3?: {
    readonly bucket: string;
    readonly key: string;
    /** Custom endpoint (an S3-compatible server); implies path-style addressing. */
    readonly endpoint?: string;
    readonly region?: string;
  };
  /** Local file target instead of S3. */
  readonly toFile?: string;
  /** Expected checksums, lower-case hex (any of them; each one given is verified before publishing). */
  readonly sha256?: string;
  readonly md5?: string;
  /** CRC32C as 8 hex digits, big-endian. */
  readonly crc32c?: string;
  readonly size?: number;
  /** Largest file accepted, in bytes (fetch-stream's `maxBytes`). */
  readonly maxBytes?: number;
  readonly connections: number;
  /** Smallest S3 part size in bytes (default 8 MiB). */
  readonly partSize?: number;
  /** Bytes of part data the S3 uploader may hold at once. */
  readonly memoryBudget?: number;
  readonly deliveryId?: string;
  readonly progressIntervalMs: number;
}
