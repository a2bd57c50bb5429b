/** Deterministic renaming of object keys that would overwrite each other. */

/**
 * Names a downloader writes next to a file while it is in flight: fetch-stream's file sink uses
 * `<key>.part`, `<key>.part.json` and the lock `<key>.part.lock`, its S3 sink
 * `<key>.fetch-stream-journal.json`. A provider file must not take one of those names for another
 * file of the same delivery: the engine would overwrite or delete it.
 */
export const DEFAULT_COMPANION_SUFFIXES: readonly string[] = [
  '.part',
  '.part.json',
  '.part.lock',
  '.fetch-stream-journal.json',
];

/**
 * Hidden companions in the same folder, `.<file name><suffix>`: the file sink's journal is
 * replaced through `.<name>.part.json.tmp`.
 */
export const DEFAULT_HIDDEN_COMPANION_SUFFIXES: readonly string[] = ['.part.json.tmp'];

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

interface Taken {
  readonly files: Set<string>;
  readonly folders: Set<string>;
  readonly companions: Set<string>;
  readonly suffixes: readonly string[];
  readonly hiddenSuffixes: readonly string[];
}

/** Every companion name of a (folded) key. */
function companionsOf(key: string, taken: Taken): string[] {
  const slash = key.lastIndexOf('/');
  const folder = key.slice(0, slash + 1);
  const name = key.slice(slash + 1);
  return [...taken.suffixes.map((s) => key + s), ...taken.hiddenSuffixes.map((s) => `${folder}.${name}${s}`)];
}

/**
 * Index of the first segment that clashes with what is taken: an ancestor folder that is a
 * file (or a companion), or the key itself taken in any way, or one of its companions clashing.
 * `-1` when free.
 */
function firstConflict(segments: readonly string[], taken: Taken): number {
  for (let i = 1; i < segments.length; i++) {
    const folder = fold(segments.slice(0, i).join('/'));
    if (taken.files.has(folder) || taken.companions.has(folder)) return i - 1;
  }
  const whole = fold(segments.join('/'));
  const clash =
    taken.files.has(whole) ||
    taken.folders.has(whole) ||
    taken.companions.has(whole) ||
    companionsOf(whole, taken).some((c) => taken.files.has(c) || taken.folders.has(c));
  return clash ? segments.length - 1 : -1;
}

/**
 * Makes keys unique, in list order: the first holder of a name keeps it, later ones become
 * `a (2).txt`, `a (3).txt` … Keys that differ only in case count as the same; a key that
 * would need a path both as a file and as a folder (`a` and `a/b`) is renamed too; and no key
 * takes the name of another key's in-flight companion (`a.bin` and `a.bin.part`).
 *
 * @param keys - keys already passed through `sanitizeObjectKey`
 * @param options.companionSuffixes - see {@link DEFAULT_COMPANION_SUFFIXES}
 * @param options.hiddenCompanionSuffixes - see {@link DEFAULT_HIDDEN_COMPANION_SUFFIXES}
 * @returns keys in the same order, unique under case folding, no key a folder of another
 */
export function resolveKeyCollisions(
  keys: readonly string[],
  options: {
    readonly companionSuffixes?: readonly string[];
    readonly hiddenCompanionSuffixes?: readonly string[];
  } = {},
): string[] {
  const suffixes = (options.companionSuffixes ?? DEFAULT_COMPANION_SUFFIXES).map(fold);
  // Given suffixes replace the defaults wholly: `companionSuffixes: []` reserves nothing.
  const hiddenSuffixes = (
    options.hiddenCompanionSuffixes ??
    (options.companionSuffixes === undefined ? DEFAULT_HIDDEN_COMPANION_SUFFIXES : [])
  ).map(fold);
  const taken: Taken = {
    files: new Set(),
    folders: new Set(),
    companions: new Set(),
    suffixes,
    hiddenSuffixes,
  };
  // Next number to try per name and clashing segment. Names only ever get taken, never freed,
  // so numbers found taken once stay taken: resuming here gives the same result as counting
  // from 2 again, without the quadratic cost of 10 000 files all called "data.csv".
  const nextNumber = new Map<string, number>();
  return keys.map((key) => {
    const original = key.split('/');
    let segments = original;
    let conflict = firstConflict(segments, taken);
    const at = conflict;
    const counterKey = `${at}\u0000${fold(key)}`;
    let n = nextNumber.get(counterKey) ?? 2;
    for (; conflict !== -1; n++) {
      segments = original.map((s, i) => (i === at ? withSuffix(s, n, i === original.length - 1) : s));
      conflict = firstConflict(segments, taken);
    }
    if (at !== -1) nextNumber.set(counterKey, n);
    const whole = fold(segments.join('/'));
    taken.files.add(whole);
    for (const companion of companionsOf(whole, taken)) taken.companions.add(companion);
    for (let i = 1; i < segments.length; i++) taken.folders.add(fold(segments.slice(0, i).join('/')));
    return segments.join('/');
  });
}
