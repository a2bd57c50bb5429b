import { join } from 'node:path';
import { sha256File } from './sha256File.js';

/** A file the benchmark expects on disk, by name, with its sha256. */
export interface ExpectedFile {
  readonly name: string;
  readonly sha256: string;
}

/**
 * Hashes every expected file under `dir` and throws, naming the first few, unless all match:
 * a contender that wrote wrong or missing bytes has no time worth reporting.
 */
export async function verifyFiles(
  dir: string,
  expected: ReadonlyArray<ExpectedFile>,
  who: string,
): Promise<void> {
  const wrong: string[] = [];
  for (const file of expected) {
    const actual = await sha256File(join(dir, file.name)).catch(() => 'missing');
    if (actual !== file.sha256)
      wrong.push(`${file.name} (${actual === 'missing' ? 'missing' : 'wrong sha256'})`);
  }
  if (wrong.length > 0) {
    throw new Error(
      `${who}: ${wrong.length}/${expected.length} files not verified: ${wrong.slice(0, 5).join(', ')}`,
    );
  }
}
