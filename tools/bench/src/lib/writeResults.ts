import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const RESULTS_DIR = join(import.meta.dirname, '..', '..', 'results');

/** Writes `results/<name>.json` with the machine it ran on, so committed figures carry context. */
export async function writeResults(name: string, results: object): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.json`);
  const document = {
    benchmark: name,
    ranAt: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
    },
    ...results,
  };
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
  return path;
}
