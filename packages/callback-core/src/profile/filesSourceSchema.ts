/** Schema of the `files` block: where a provider's file list comes from. */
import * as v from 'valibot';
import { isValuePath } from './valuePath.js';

const valuePath = v.pipe(
  v.string(),
  v.check(isValuePath, 'expected a JSON pointer ("/data/files") or a dot path ("data.files")'),
);

/**
 * Where each field of a file entry is, relative to the entry. Unset fields use the defaults:
 * `url`, `name` (else `key`, else the URL's last path segment), `size`, and checksums from
 * `checksums.<algorithm>` or `<algorithm>`.
 */
const fieldsSchema = v.strictObject({
  url: v.optional(valuePath),
  name: v.optional(valuePath),
  size: v.optional(valuePath),
  sha256: v.optional(valuePath),
  md5: v.optional(valuePath),
  crc32c: v.optional(valuePath),
});

const common = {
  /** Where the list is in the document (the callback body, the manifest or the list-API answer). */
  path: v.optional(valuePath),
  fields: v.optional(fieldsSchema),
  /**
   * Where the callback names its project. When set and the delivery was registered with a
   * `projectId`, the two must be equal (else `project_mismatch`). Required for `list-api`.
   */
  projectIdField: v.optional(valuePath),
};

/** Schema of the `files` block of a provider profile. */
export const filesSourceSchema = v.variant('source', [
  v.strictObject({ source: v.literal('inline'), ...common }),
  v.strictObject({ source: v.literal('manifest'), urlField: valuePath, ...common }),
  v.strictObject({
    source: v.literal('list-api'),
    ...common,
    listUrl: v.pipe(v.string(), v.url('expected an absolute URL such as https://api.example.com/projects')),
    projectIdField: valuePath,
  }),
]);

/** Caps applied to file lists; each has a default. */
export const payloadLimitsSchema = v.strictObject({
  /** Most files in one list. @default 10 000 */
  maxFiles: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000)), 10_000),
  /** Longest file URL, in characters. @default 2048 */
  maxUrlLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(16), v.maxValue(65_536)), 2048),
  /** Longest file name as the provider gives it, in characters. @default 1024 */
  maxNameLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4096)), 1024),
  /** Largest manifest or list-API document, in bytes. @default 16 MiB */
  maxManifestBytes: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1024), v.maxValue(1024 * 1024 * 1024)),
    16 * 1024 * 1024,
  ),
  /**
   * Largest file, in bytes: a declared size over it refuses the list; a file of unknown size is
   * stopped at this many bytes. @default 64 GiB
   */
  maxFileBytes: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER)),
    64 * 1024 ** 3,
  ),
  /** Largest sum of the declared sizes of one delivery's files, in bytes. @default 1 TiB */
  maxDeliveryBytes: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER)),
    1024 ** 4,
  ),
});
