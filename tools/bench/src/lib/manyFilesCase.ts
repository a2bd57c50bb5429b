import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeRandomFile } from '@downloader/fault-origin';
import { type Aria2Entry, aria2InputList } from './aria2InputList.js';
import { type CommandSample, measureCommand } from './measureCommand.js';
import { verifyFiles } from './verifyFiles.js';

/** A set of files served by nginx under `/<folder>/`, and the input list naming them. */
export interface ManyFiles {
  readonly label: string;
  readonly folder: string;
  readonly entries: ReadonlyArray<Aria2Entry>;
  /** The list file (aria2's format, which fetch-stream -i reads too). */
  readonly listPath: string;
}

/** Writes `count` deterministic files of `size` bytes (once: kept between runs) and their list. */
export async function prepareManyFiles(
  originDir: string,
  scratch: string,
  baseUrl: string,
  count: number,
  size: number,
  label: string,
): Promise<ManyFiles> {
  const folder = `many-${count}x${size}`;
  const dir = join(originDir, folder);
  await mkdir(dir, { recursive: true });
  const entries: Aria2Entry[] = [];
  for (let i = 0; i < count; i++) {
    const name = `f${String(i).padStart(4, '0')}.bin`;
    const path = join(dir, name);
    // The same seed gives the same bytes: an existing file is reused, its sha256 recomputed.
    const sha256 = await writeRandomFile(path, size, `${folder}/${name}`);
    entries.push({ url: `${baseUrl}/${folder}/${name}`, name, sha256 });
  }
  const listPath = join(scratch, `${folder}.list`);
  await writeFile(listPath, aria2InputList(entries, { checksums: true }));
  return { label, folder, entries, listPath };
}

async function freshDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

/** `fetch-stream -i <list> -j <jobs> -d <dir>`, every file then checked against its sha256. */
export async function runOursList(
  cli: string,
  set: ManyFiles,
  outDir: string,
  jobs: number,
  scratch: string,
  flags: ReadonlyArray<string> = [],
): Promise<CommandSample> {
  await freshDir(outDir);
  const sample = await measureCommand(
    process.execPath,
    [cli, '-i', set.listPath, '-j', String(jobs), '-d', outDir, '--quiet', ...flags],
    { scratchDir: scratch },
  );
  execFileSync('sync');
  await verifyFiles(outDir, set.entries, 'fetch-stream -i');
  return sample;
}

/** `aria2c -i <list> -j <jobs> -d <dir>` (one connection per file, its checksum= verified). */
export async function runAria2List(
  set: ManyFiles,
  outDir: string,
  jobs: number,
  scratch: string,
): Promise<CommandSample> {
  if (!existsSync('/usr/bin/aria2c'))
    throw new Error('aria2c is missing: run bash tools/scripts/install-system-deps.sh');
  await freshDir(outDir);
  const sample = await measureCommand(
    'aria2c',
    [
      '-i',
      set.listPath,
      `-j${jobs}`,
      '-d',
      outDir,
      '--file-allocation=none',
      '--allow-overwrite=true',
      '--auto-file-renaming=false',
      '--console-log-level=error',
      '--summary-interval=0',
      '--quiet=true',
    ],
    { scratchDir: scratch },
  );
  execFileSync('sync');
  await verifyFiles(outDir, set.entries, 'aria2c -i');
  return sample;
}
