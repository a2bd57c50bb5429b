/** One download for aria2c's input file. */
export interface Aria2Entry {
  readonly url: string;
  readonly name: string;
  readonly sha256: string;
}

/**
 * The text of an `aria2c -i` input file: each URI followed by its per-download options,
 * indented. `checksum` makes aria2 verify each file, as the service does, so both sides hash.
 */
export function aria2InputList(entries: ReadonlyArray<Aria2Entry>): string {
  return entries
    .map((entry) => `${entry.url}\n  out=${entry.name}\n  checksum=sha-256=${entry.sha256}\n`)
    .join('');
}
