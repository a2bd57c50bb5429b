/** One download for aria2c's input file. */
export interface Aria2Entry {
  readonly url: string;
  readonly name: string;
  readonly sha256: string;
}

/**
 * The text of an `aria2c -i` input file: each URI followed by its per-download options,
 * indented. With `checksums`, a `checksum=` option per file makes aria2 verify it, as the service does.
 */
export function aria2InputList(
  entries: ReadonlyArray<Aria2Entry>,
  options: { readonly checksums: boolean },
): string {
  return entries
    .map((entry) => {
      const checksum = options.checksums ? `  checksum=sha-256=${entry.sha256}\n` : '';
      return `${entry.url}\n  out=${entry.name}\n${checksum}`;
    })
    .join('');
}
