/** One setting: its flag, its environment variable and its help line. */
export interface OptionSpec {
  readonly flag: string;
  readonly env: string;
  readonly value: string;
  readonly help: string;
}

/** Every setting, in help order. Flags win over environment variables. */
export const OPTIONS = [
  { flag: 'url', env: 'DOWNLOADER_URL', value: '<url>', help: 'source URL (http or https) — required' },
  { flag: 'bucket', env: 'DOWNLOADER_BUCKET', value: '<name>', help: 'target S3 bucket (with --key)' },
  { flag: 'key', env: 'DOWNLOADER_KEY', value: '<key>', help: 'target S3 object key' },
  { flag: 'to-file', env: 'DOWNLOADER_TO_FILE', value: '<path>', help: 'write a local file instead of S3' },
  {
    flag: 'sha256',
    env: 'DOWNLOADER_SHA256',
    value: '<hex>',
    help: 'expected sha256; a mismatch publishes nothing (exit 66)',
  },
  {
    flag: 'md5',
    env: 'DOWNLOADER_MD5',
    value: '<hex>',
    help: 'expected md5 (32 hex digits); a mismatch publishes nothing (exit 66)',
  },
  {
    flag: 'crc32c',
    env: 'DOWNLOADER_CRC32C',
    value: '<hex>',
    help: 'expected CRC32C (8 hex digits); a mismatch publishes nothing (exit 66)',
  },
  {
    flag: 'size',
    env: 'DOWNLOADER_SIZE',
    value: '<bytes>',
    help: 'expected size in bytes; a mismatch publishes nothing (exit 66)',
  },
  {
    flag: 'max-bytes',
    env: 'DOWNLOADER_MAX_BYTES',
    value: '<bytes>',
    help: 'largest file accepted; a larger one (declared or delivered) publishes nothing (exit 65)',
  },
  {
    flag: 'endpoint',
    env: 'DOWNLOADER_S3_ENDPOINT',
    value: '<url>',
    help: 'S3-compatible endpoint (path-style addressing)',
  },
  {
    flag: 'region',
    env: 'DOWNLOADER_S3_REGION',
    value: '<region>',
    help: 'S3 region (default: AWS_REGION, else us-east-1)',
  },
  {
    flag: 'connections',
    env: 'DOWNLOADER_CONNECTIONS',
    value: '<n>',
    help: 'connections to the source, 1-64 (default 4)',
  },
  {
    flag: 'part-size',
    env: 'DOWNLOADER_PART_SIZE',
    value: '<bytes>',
    help: 'smallest S3 part, >= 5 MiB (default 8 MiB)',
  },
  {
    flag: 'memory-budget',
    env: 'DOWNLOADER_MEMORY_BUDGET',
    value: '<bytes>',
    help: 'part bytes the S3 uploader may hold at once',
  },
  { flag: 'delivery-id', env: 'DOWNLOADER_DELIVERY_ID', value: '<id>', help: 'added to every log line' },
  {
    flag: 'progress-interval',
    env: 'DOWNLOADER_PROGRESS_INTERVAL_MS',
    value: '<ms>',
    help: 'ms between progress log lines (default 5000)',
  },
] as const satisfies ReadonlyArray<OptionSpec>;

/** Name of one setting (its flag without dashes). */
export type OptionName = (typeof OPTIONS)[number]['flag'];
