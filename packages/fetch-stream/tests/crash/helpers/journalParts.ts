import { readFile } from 'node:fs/promises';

/** Parts a crash-safe journal records as complete. */
export interface JournalParts {
  readonly partSize: number;
  readonly indexes: ReadonlySet<number>;
}

/**
 * Reads `<output>.part.json` (the journal the CLI's --help names) for its complete parts. A
 * missing or unreadable journal means nothing is complete.
 */
export async function readJournalParts(path: string, fallbackPartSize: number): Promise<JournalParts> {
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as { partSize?: unknown; parts?: unknown };
    const partSize = typeof data.partSize === 'number' ? data.partSize : fallbackPartSize;
    const indexes = new Set<number>();
    if (Array.isArray(data.parts)) {
      for (const entry of data.parts) {
        if (Array.isArray(entry) && typeof entry[0] === 'number') indexes.add(entry[0]);
      }
    }
    return { partSize, indexes };
  } catch {
    return { partSize: fallbackPartSize, indexes: new Set() };
  }
}

/** Byte ranges `[start, end)` of a `Range: bytes=a-b` header; undefined for anything else. */
export function rangeOf(
  header: string | undefined,
  total: number,
): { start: number; end: number } | undefined {
  const match = header ? /^bytes=(\d+)-(\d*)$/.exec(header) : null;
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] === '' ? total : Number(match[2]) + 1;
  return { start, end };
}
