/** Provider-supplied file names → safe relative object keys. */
import { UnsafeObjectKeyError } from '../errors.js';

/** Longest key in UTF-8 bytes (the S3 object key limit). */
export const MAX_OBJECT_KEY_BYTES = 1024;
/** Longest path segment in UTF-8 bytes (NAME_MAX on common file systems). */
export const MAX_KEY_SEGMENT_BYTES = 255;
/** Keys the downloader writes itself; a provider file may not take them (compared case-insensitively). */
export const RESERVED_OBJECT_KEYS: readonly string[] = ['_delivery.json'];

// C0 and C1 controls, DEL, and the bidirectional overrides/isolates that make a name display
// differently from what it is.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

// An unpaired surrogate cannot be encoded as UTF-8; left in, it would become U+FFFD later and
// the key on disk would differ from the key we checked.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const encoder = new TextEncoder();

/**
 * Turns a provider-supplied name into a safe relative object key, or refuses it.
 *
 * Rewrites: backslashes become `/` (so `..\x` is seen as the traversal it is on Windows),
 * control and bidi-override characters become `_`, lone surrogates become U+FFFD, empty, blank
 * and `.` segments are dropped (so a leading `/` cannot make the key absolute), and the result
 * is Unicode NFC. The output is a fixed point: sanitising it again returns it unchanged.
 *
 * @throws {@link UnsafeObjectKeyError} with a `reason`: `nul` (a NUL character anywhere),
 *   `dot_segment` (a `..` segment), `empty` (nothing left), `segment_too_long` (a segment over
 *   255 UTF-8 bytes), `too_long` (over 1024 bytes), `reserved` (`_delivery.json`, also as the
 *   top-level folder of a key: `_delivery.json/x`).
 */
export function sanitizeObjectKey(name: string): string {
  if (typeof name !== 'string')
    throw new UnsafeObjectKeyError('not_a_string', 'A file name must be a string.');
  // NUL truncates names in C APIs; a name containing one is hostile, not merely odd.
  if (name.includes('\u0000'))
    throw new UnsafeObjectKeyError('nul', 'A file name must not contain a NUL character.');
  const cleaned = name
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/\\/g, '/')
    .replace(UNSAFE_CHARACTERS, '_')
    .normalize('NFC');
  const segments: string[] = [];
  for (const segment of cleaned.split('/')) {
    const trimmed = segment.trim();
    if (trimmed === '' || trimmed === '.') continue;
    if (trimmed === '..') {
      throw new UnsafeObjectKeyError('dot_segment', `File name "${cleaned}" contains a ".." segment.`);
    }
    if (encoder.encode(segment).byteLength > MAX_KEY_SEGMENT_BYTES) {
      throw new UnsafeObjectKeyError(
        'segment_too_long',
        `A segment of file name "${cleaned.slice(0, 64)}…" is longer than ${MAX_KEY_SEGMENT_BYTES} bytes.`,
      );
    }
    segments.push(segment);
  }
  if (segments.length === 0) {
    throw new UnsafeObjectKeyError('empty', `File name "${cleaned}" has no usable characters.`);
  }
  const key = segments.join('/');
  if (encoder.encode(key).byteLength > MAX_OBJECT_KEY_BYTES) {
    throw new UnsafeObjectKeyError(
      'too_long',
      `File name "${key.slice(0, 64)}…" is longer than ${MAX_OBJECT_KEY_BYTES} bytes.`,
    );
  }
  // The first segment counts too: `_delivery.json/x` would make the record's name a folder.
  const top = (segments[0] ?? '').toLowerCase();
  if (RESERVED_OBJECT_KEYS.includes(top)) {
    throw new UnsafeObjectKeyError(
      'reserved',
      `File name "${key}" is reserved for the downloader's own records.`,
    );
  }
  return key;
}
