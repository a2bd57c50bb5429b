import { existsSync } from 'node:fs';
import { mkdir, open, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type FaultOrigin, startFaultOrigin } from '@downloader/fault-origin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesIn, makeTempDir, removeDir, sha256OfFile } from '../faults/helpers/files.js';
import { isRunning, killAll, startCli } from './helpers/cliProcess.js';
import { rangeOf, readJournalParts } from './helpers/journalParts.js';

const MiB = 1024 * 1024;
const SIZE = 32 * MiB;
const DEFAULT_PART_SIZE = 8 * MiB;
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** What happens to the `.part` file between the kill and the rerun. */
const damages = [
  {
    label: 'one byte flipped inside a part the journal lists as complete',
    damage: async (partFile: string, partSize: number, firstPart: number) => {
      const fh = await open(partFile, 'r+');
      try {
        const at = firstPart * partSize + Math.floor(partSize / 2);
        const byte = Buffer.alloc(1);
        await fh.read(byte, 0, 1, at);
        byte[0] = (byte[0] ?? 0) ^ 0xff;
        await fh.write(byte, 0, 1, at);
      } finally {
        await fh.close();
      }
    },
  },
  {
    label: 'the .part file truncated to nothing',
    damage: async (partFile: string) => {
      await truncate(partFile, 0);
    },
  },
] as const;

describe('a damaged .part file after a crash: the journal is not trusted blindly', () => {
  let origin: FaultOrigin;
  let root: string;

  beforeAll(async () => {
    if (!existsSync(cli)) {
      throw new Error(`${cli} is missing: run \`pnpm nx run @downloader/fetch-stream:build\` first`);
    }
    origin = await startFaultOrigin({ seed: 'fetch-stream-damage' });
    root = await makeTempDir('damage');
  });
  afterAll(async () => {
    await killAll();
    await origin?.close();
    await removeDir(root);
  });

  it.each(damages)(
    '$label: the damaged part is fetched again and the file is byte-identical',
    async ({ damage }) => {
      const name = `damage-${damages.findIndex((d) => d.damage === damage)}.bin`;
      origin.addFile(name, SIZE);
      origin.setFaults(name, { mode: 'throttle', bytesPerSecond: 8_000_000 });
      const dir = join(root, name.replace('.bin', ''));
      await mkdir(dir);
      const output = join(dir, name);
      const journal = `${output}.part.json`;
      const expected = origin.info(name).sha256;
      const args = [origin.url(name), '-o', output, '-c', '2', '--sha256', expected, '--quiet'];

      // Kill the first run once the journal holds a complete part.
      const first = startCli(cli, args);
      while (isRunning(first) && (await readJournalParts(journal, DEFAULT_PART_SIZE)).indexes.size === 0) {
        await sleep(10);
      }
      expect(isRunning(first)).toBe(true);
      first.child.kill('SIGKILL');
      await first.exited;
      const listed = await readJournalParts(journal, DEFAULT_PART_SIZE);
      const firstPart = Math.min(...listed.indexes);
      await damage(`${output}.part`, listed.partSize, firstPart);
      origin.setFaults(name, undefined);
      const rerunFrom = origin.stats.requests;

      const second = startCli(cli, [...args, '--json']);
      const code = await second.exited;

      expect(code, second.stderr()).toBe(0);
      expect(await sha256OfFile(output)).toBe(expected);
      expect(await filesIn(dir)).toEqual([name]);
      // The rerun asked again for the damaged part's bytes.
      const start = firstPart * listed.partSize;
      const asked = origin.stats.perRequest.slice(rerunFrom).some((record) => {
        const range = rangeOf(record.range, SIZE);
        return (
          record.range === undefined || (range !== undefined && range.start <= start && range.end > start)
        );
      });
      expect(asked).toBe(true);
      const summary = JSON.parse(second.stdout()) as { resumedBytes: number };
      expect(summary.resumedBytes).toBeLessThan(listed.indexes.size * listed.partSize);
    },
    60_000,
  );
});
