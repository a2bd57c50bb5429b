import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { deterministicChunks, keyFor } from './deterministicBytes.js';

/**
 * Writes `size` deterministic pseudo-random bytes (AES-128-CTR keystream of `seed`) to `path`,
 * streaming with backpressure, and resolves to their lower-case hex sha256. Same seed and size →
 * same bytes, so tests never store expected files.
 */
export async function writeRandomFile(path: string, size: number, seed: string): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  try {
    for (const chunk of deterministicChunks(keyFor(seed), 0, size, 1024 * 1024)) {
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  } catch (error) {
    out.destroy();
    throw error;
  }
  return hash.digest('hex');
}
