/** A provider's raw list entries → validated {@link FileEntry} values with unique safe keys. */
import { InvalidPayloadError, type Issue, UnsafeObjectKeyError } from '../errors.js';
import type { FilesSource, PayloadLimits } from '../profile/types.js';
import { getAtPath } from '../profile/valuePath.js';
import { checkUrl } from '../urlPolicy/checkUrl.js';
import type { UrlPolicy } from '../urlPolicy/types.js';
import { resolveKeyCollisions } from './resolveKeyCollisions.js';
import { sanitizeObjectKey } from './sanitizeObjectKey.js';
import type { FileChecksums, FileEntry } from './types.js';

// Enough to show a provider what is wrong without building a huge error from a huge list.
const MAX_REPORTED_ISSUES = 50;

const CHECKSUM_HEX_LENGTH: Readonly<Record<keyof FileChecksums, number>> = { sha256: 64, md5: 32, crc32c: 8 };

type Fields = NonNullable<FilesSource['fields']>;

/** First found value among the candidate paths; `undefined` and `null` count as absent. */
function pick(entry: unknown, paths: readonly string[]): unknown {
  for (const path of paths) {
    const found = getAtPath(entry, path);
    if (found.found && found.value !== undefined && found.value !== null) return found.value;
  }
  return undefined;
}

function lastPathSegment(url: URL): string {
  const raw = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function parseSize(value: unknown): number | undefined | string {
  if (value === undefined) return undefined;
  // Some APIs send sizes as strings (JSON numbers lose precision past 2^53): digit strings are
  // accepted when the value is still a safe integer.
  const n = typeof value === 'string' && /^[0-9]{1,16}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    return 'size must be a non-negative integer number of bytes';
  }
  return n;
}

interface EntryResult {
  readonly entry?: Omit<FileEntry, 'name'> & { readonly rawName: string };
  readonly issues: Issue[];
}

function normaliseEntry(
  raw: unknown,
  at: string,
  fields: Fields,
  limits: PayloadLimits,
  policy: UrlPolicy,
): EntryResult {
  const issues: Issue[] = [];
  const isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
  if (typeof raw !== 'string' && !isObject) {
    return { issues: [{ path: at, message: 'an entry must be a URL string or an object with a url' }] };
  }
  const urlValue = typeof raw === 'string' ? raw : pick(raw, [fields.url ?? 'url']);
  if (typeof urlValue !== 'string') {
    return { issues: [{ path: `${at}.url`, message: 'url is missing or not a string' }] };
  }
  if (urlValue.length > limits.maxUrlLength) {
    return {
      issues: [{ path: `${at}.url`, message: `url is longer than ${limits.maxUrlLength} characters` }],
    };
  }
  let url: URL;
  try {
    url = new URL(urlValue);
  } catch {
    return { issues: [{ path: `${at}.url`, message: 'url is not an absolute URL' }] };
  }
  const verdict = checkUrl(url, policy);
  if (!verdict.ok) issues.push({ path: `${at}.url`, message: verdict.message });

  const nameValue =
    typeof raw === 'string' ? undefined : pick(raw, fields.name ? [fields.name] : ['name', 'key']);
  let rawName = '';
  if (nameValue === undefined) {
    rawName = lastPathSegment(url);
  } else if (typeof nameValue !== 'string') {
    issues.push({ path: `${at}.name`, message: 'name must be a string' });
  } else if (nameValue.length > limits.maxNameLength) {
    issues.push({ path: `${at}.name`, message: `name is longer than ${limits.maxNameLength} characters` });
  } else {
    rawName = nameValue;
  }

  const size = parseSize(typeof raw === 'string' ? undefined : pick(raw, [fields.size ?? 'size']));
  if (typeof size === 'string') issues.push({ path: `${at}.size`, message: size });
  else if (size !== undefined && size > limits.maxFileBytes) {
    issues.push({
      path: `${at}.size`,
      message: `size ${size} is over this provider's limit of ${limits.maxFileBytes} bytes (limits.maxFileBytes)`,
    });
  }

  const checksums: Record<string, string> = {};
  for (const algorithm of ['sha256', 'md5', 'crc32c'] as const) {
    if (typeof raw === 'string') break;
    const paths = fields[algorithm] ? [fields[algorithm]] : [`checksums.${algorithm}`, algorithm];
    const value = pick(raw, paths);
    if (value === undefined) continue;
    const length = CHECKSUM_HEX_LENGTH[algorithm];
    if (typeof value !== 'string' || value.length !== length || !/^[0-9a-fA-F]+$/.test(value)) {
      issues.push({ path: `${at}.${algorithm}`, message: `${algorithm} must be ${length} hex digits` });
    } else {
      checksums[algorithm] = value.toLowerCase();
    }
  }
  if (issues.length > 0) return { issues };
  return {
    issues,
    entry: {
      url: url.href,
      rawName,
      ...(typeof size === 'number' ? { size } : {}),
      ...(Object.keys(checksums).length > 0 ? { checksums: checksums as FileChecksums } : {}),
    },
  };
}

/**
 * Validates a provider's list and turns it into {@link FileEntry} values: every URL passes
 * the static URL policy, sizes are non-negative safe integers, checksums are hex of the right
 * length, names become safe keys (`sanitizeObjectKey`) that are unique (`resolveKeyCollisions`).
 *
 * @throws {@link InvalidPayloadError} listing every problem (up to 50) with its path, e.g. `files[3].url`
 */
export function normaliseFileEntries(
  list: unknown,
  source: FilesSource,
  limits: PayloadLimits,
  policy: UrlPolicy,
): FileEntry[] {
  if (!Array.isArray(list))
    throw new InvalidPayloadError([{ path: 'files', message: 'the file list is not an array' }]);
  if (list.length > limits.maxFiles) {
    throw new InvalidPayloadError([
      {
        path: 'files',
        message: `the list has ${list.length} files; this provider's limit is ${limits.maxFiles}`,
      },
    ]);
  }
  const fields: Fields = source.fields ?? {};
  const issues: Issue[] = [];
  const entries: (Omit<FileEntry, 'name'> & { readonly key: string })[] = [];
  list.forEach((raw: unknown, index) => {
    if (issues.length >= MAX_REPORTED_ISSUES) return;
    const at = `files[${index}]`;
    const result = normaliseEntry(raw, at, fields, limits, policy);
    issues.push(...result.issues);
    if (result.entry === undefined) return;
    const { rawName, ...rest } = result.entry;
    try {
      entries.push({ ...rest, key: sanitizeObjectKey(rawName) });
    } catch (error) {
      if (!(error instanceof UnsafeObjectKeyError)) throw error;
      issues.push({ path: `${at}.name`, message: error.message });
    }
  });
  let declared = 0;
  for (const entry of entries) declared += entry.size ?? 0;
  if (declared > limits.maxDeliveryBytes) {
    issues.push({
      path: 'files',
      message: `the declared sizes add up to ${declared} bytes; this provider's limit is ${limits.maxDeliveryBytes} (limits.maxDeliveryBytes)`,
    });
  }
  if (issues.length > 0) throw new InvalidPayloadError(issues.slice(0, MAX_REPORTED_ISSUES));
  const keys = resolveKeyCollisions(entries.map((e) => e.key));
  // resolveKeyCollisions returns exactly one key per input, in order.
  return entries.map(({ key: _key, ...rest }, i) => ({ ...rest, name: keys[i] as string }));
}
