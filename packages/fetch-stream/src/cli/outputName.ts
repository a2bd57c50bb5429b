import { basename } from 'node:path';

/** Used when neither the server nor the URL gives a usable name. */
export const FALLBACK_NAME = 'download';

/** C0 controls and DEL: never part of a file name we create. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** Longest name kept (bytes of UTF-8); most file systems allow 255. */
const MAX_NAME_BYTES = 200;

/**
 * A safe file name in the current directory from an untrusted one: the last path segment
 * only (no directories, so never outside the directory), no control characters, no leading
 * dots (no hidden files, no `..`), trimmed, at most 200 bytes. Undefined when nothing is left.
 */
export function sanitizeFileName(raw: string): string | undefined {
  const last = basename(raw.replaceAll('\\', '/'));
  let name = last.replace(CONTROL_CHARACTERS, '').trim().replace(/^\.+/, '').trim();
  while (Buffer.byteLength(name) > MAX_NAME_BYTES) name = name.slice(0, -1);
  return name === '' ? undefined : name;
}

/** The name a `Content-Disposition` header gives (`filename*` preferred), unsanitized. */
export function dispositionName(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended?.[2] !== undefined) {
    try {
      return decodeURIComponent(extended[2].trim());
    } catch {
      // A malformed percent-encoding: fall back to the plain parameter.
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted?.[1] !== undefined) return quoted[1].replace(/\\(.)/g, '$1');
  const plain = /filename\s*=\s*([^;\s]+)/i.exec(header);
  return plain?.[1];
}

/** The last segment of the URL's path, percent-decoded, unsanitized. */
export function urlName(url: string): string | undefined {
  const path = new URL(url).pathname;
  const segment = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The output name for `-O`: the server's Content-Disposition name, else the URL's, sanitized. */
export function outputNameFor(url: string, contentDisposition: string | null | undefined): string {
  const fromServer = dispositionName(contentDisposition);
  const fromUrl = urlName(url);
  return (
    (fromServer !== undefined ? sanitizeFileName(fromServer) : undefined) ??
    (fromUrl !== undefined ? sanitizeFileName(fromUrl) : undefined) ??
    FALLBACK_NAME
  );
}
