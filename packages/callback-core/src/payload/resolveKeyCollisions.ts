/** Deterministic renaming of object keys that would overwrite each other. */

/**
 * Case folding used to compare keys: case-insensitive file systems (macOS, Windows) would map
 * `Report.pdf` and `report.pdf` to one file. Upper-then-lower also folds `ß` with `ss`.
 */
function fold(key: string): string {
  return key.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/** Inserts ` (n)` before the extension of a file segment, or at the end of a folder segment. */
function withSuffix(segment: string, n: number, isFile: boolean): string {
  if (!isFile) return `${segment} (${n})`;
  const tar = /\.tar\.[a-z0-9]+$/i.exec(segment);
  const dot = tar !== null && tar.index > 0 ? tar.index : segment.lastIndexOf('.');
  // A leading dot (".env") is a hidden file, not an extension.
  if (dot <= 0) return `${segment} (${n})`;
  return `${segment.slice(0, dot)} (${n})${segment.slice(dot)}`;
}

/**
 * Index of the first segment that clashes with keys already taken: an ancestor folder that is
 * taken as a file, or the key itself taken as a file or used as a folder. `-1` when free.
 */
function firstConflict(
  segments: readonly string[],
  files: ReadonlySet<string>,
  folders: ReadonlySet<string>,
): number {
  for (let i = 1; i < segments.length; i++) {
    if (files.has(fold(segments.slice(0, i).join('/')))) return i - 1;
  }
  const whole = fold(segments.join('/'));
  return files.has(whole) || folders.has(whole) ? segments.length - 1 : -1;
}

/**
 * Makes keys unique, in list order: the first holder of a name keeps it, later ones become
 * `a (2).txt`, `a (3).txt` … Keys that differ only in case count as the same, and a key that
 * would need a path both as a file and as a folder (`a` and `a/b`) is renamed too.
 *
 * @param keys - keys already passed through `sanitizeObjectKey`
 * @returns keys in the same order, unique under case folding, no key a folder of another
 */
export function resolveKeyCollisions(keys: readonly string[]): string[] {
  const files = new Set<string>();
  const folders = new Set<string>();
  return keys.map((key) => {
    const original = key.split('/');
    let segments = original;
    let conflict = firstConflict(segments, files, folders);
    const at = conflict;
    for (let n = 2; conflict !== -1; n++) {
      segments = original.map((s, i) => (i === at ? withSuffix(s, n, i === original.length - 1) : s));
      conflict = firstConflict(segments, files, folders);
    }
    files.add(fold(segments.join('/')));
    for (let i = 1; i < segments.length; i++) folders.add(fold(segments.slice(0, i).join('/')));
    return segments.join('/');
  });
}
