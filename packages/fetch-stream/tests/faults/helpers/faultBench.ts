import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type FaultOrigin, startFaultOrigin } from '@downloader/fault-origin';
import { afterAll, beforeAll } from 'vitest';
import { FILE_SIZE, uniqueName } from './faultHarness.js';
import { makeTempDir, removeDir } from './files.js';

/** A prepared test: a fresh resource on the origin and an empty folder for the output. */
export interface Prepared {
  readonly name: string;
  readonly dir: string;
  readonly output: string;
}

/**
 * Starts a fault origin before the file's tests and stops it (and removes the temp root) after.
 * `prepare()` registers a resource unique to the calling test, resets the origin's counters and
 * makes an empty output folder.
 */
export function useFaultOrigin(seed: string): {
  origin: () => FaultOrigin;
  prepare: (mode: string, connections: number, size?: number) => Promise<Prepared>;
} {
  let origin: FaultOrigin | undefined;
  let root: string | undefined;
  beforeAll(async () => {
    origin = await startFaultOrigin({ seed });
    root = await makeTempDir(seed);
  });
  afterAll(async () => {
    await origin?.close();
    await removeDir(root);
  });
  const current = (): FaultOrigin => {
    if (!origin) throw new Error('the fault origin starts in beforeAll');
    return origin;
  };
  return {
    origin: current,
    prepare: async (mode, connections, size = FILE_SIZE) => {
      const name = uniqueName(mode, connections);
      current().addFile(name, size);
      current().resetStats();
      if (!root) throw new Error('the temp root is made in beforeAll');
      const dir = join(root, name.replace(/\.bin$/, ''));
      await mkdir(dir);
      return { name, dir, output: join(dir, name) };
    },
  };
}
