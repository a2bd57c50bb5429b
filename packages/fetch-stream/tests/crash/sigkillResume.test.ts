import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type FaultOrigin, startFaultOrigin } from '@downloader/fault-origin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesIn, makeTempDir, removeDir, sha256OfFile } from '../faults/helpers/files.js';
import { type CliProcess, isRunning, killAll, startCli } from './helpers/cliProcess.js';
import { type JournalParts, rangeOf, readJournalParts } from './helpers/journalParts.js';
import { seededRandom } from './helpers/seededRandom.js';

const MiB = 1024 * 1024;
const SIZE = 64 * MiB;
const CONNECTIONS = 4;
const KILLS = 24;
/** The CLI's part size (the library default); the journal states the real one. */
const DEFAULT_PART_SIZE = 8 * MiB;
/** Per response: 4 connections ≈ 48 MB/s, so one run lasts long enough to be cut anywhere. */
const BYTES_PER_SECOND = 12_000_000;
/** A run is killed after at most this many bytes served, and always while ≥ 1 MiB is missing. */
const MAX_RUN_BYTES = 40 * MiB;

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

interface Run {
  /** Index in origin.stats.perRequest of this run's first request. */
  readonly firstRequest: number;
  /** Index after this run's last request. */
  lastRequest: number;
  /** Parts complete in the journal when the run started. */
  readonly partsBefore: JournalParts;
  readonly killed: boolean;
}

async function waitForServedOrExit(
  origin: FaultOrigin,
  run: CliProcess,
  startBytes: number,
  threshold: number,
): Promise<boolean> {
  while (isRunning(run)) {
    if (origin.stats.bytesServed - startBytes >= threshold) {
      run.child.kill('SIGKILL');
      await run.exited;
      return true;
    }
    await sleep(2);
  }
  return false;
}

/**
 * Both durabilities: `--no-fsync` skips every fsync, and resuming after a kill must still be exact,
 * because a killed process's writes stay in the kernel's page cache.
 */
describe.each([
  { durability: 'power-loss (default)', flags: [] as string[] },
  { durability: 'process-exit (--no-fsync)', flags: ['--no-fsync'] },
])(
  'crash safety, durability $durability: the CLI SIGKILLed at random points resumes to a byte-identical file',
  ({ flags }) => {
    let origin: FaultOrigin;
    let dir: string;

    beforeAll(async () => {
      if (!existsSync(cli)) {
        throw new Error(`${cli} is missing: run \`pnpm nx run @downloader/fetch-stream:build\` first`);
      }
      origin = await startFaultOrigin({ files: { 'crash.bin': SIZE }, seed: 'fetch-stream-crash' });
      origin.setFaults('crash.bin', { mode: 'throttle', bytesPerSecond: BYTES_PER_SECOND });
      dir = await makeTempDir('crash');
    });
    afterAll(async () => {
      await killAll();
      await origin?.close();
      await removeDir(dir);
    });

    it(`${KILLS} SIGKILLs, then a last run: identical bytes, no committed part fetched again`, async () => {
      const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
      // Printed so a failing schedule can be replayed: CRASH_SEED=<seed> pnpm vitest run tests/crash
      console.log(`crash test seed: ${seed}`);
      const random = seededRandom(seed);
      const output = join(dir, 'crash.bin');
      const journal = `${output}.part.json`;
      const expected = origin.info('crash.bin').sha256;
      // The same command every time, as a user would rerun it; the last run also verifies the sha256.
      const args = [
        origin.url('crash.bin'),
        '-o',
        output,
        '-c',
        String(CONNECTIONS),
        '--sha256',
        expected,
        '--quiet',
        ...flags,
      ];
      const runs: Run[] = [];

      for (let kill = 0; kill < KILLS; kill += 1) {
        const partsBefore = await readJournalParts(journal, DEFAULT_PART_SIZE);
        const missing = SIZE - partsBefore.indexes.size * partsBefore.partSize;
        const cap = Math.min(MAX_RUN_BYTES, missing - MiB);
        // Every fourth run goes as far as it may, so that some runs complete parts and resume is exercised.
        const threshold = kill % 4 === 3 ? cap : Math.floor(random() * cap);
        const firstRequest = origin.stats.requests;
        const proc = startCli(cli, args);
        const killed = await waitForServedOrExit(origin, proc, origin.stats.bytesServed, threshold);
        runs.push({ firstRequest, lastRequest: origin.stats.requests, partsBefore, killed });
        if (!killed) {
          throw new Error(
            `run ${kill} exited by itself (code ${await proc.exited}) before its kill: ${proc.stderr()}`,
          );
        }
      }

      const partsBeforeLast = await readJournalParts(journal, DEFAULT_PART_SIZE);
      const firstRequest = origin.stats.requests;
      const last = startCli(cli, [...args, '--json']);
      const code = await last.exited;
      runs.push({
        firstRequest,
        lastRequest: origin.stats.requests,
        partsBefore: partsBeforeLast,
        killed: false,
      });

      expect(code, last.stderr()).toBe(0);
      const summary = JSON.parse(last.stdout()) as {
        sha256: string;
        bytes: number;
        resumedBytes: number;
        verified: ReadonlyArray<{ algorithm: string; source: string }>;
      };
      expect(summary.sha256).toBe(expected);
      expect(summary.bytes).toBe(SIZE);
      expect(summary.verified).toContainEqual(
        expect.objectContaining({ algorithm: 'sha256', source: 'caller' }),
      );
      expect(await sha256OfFile(output)).toBe(expected);
      expect(await filesIn(dir)).toEqual(['crash.bin']);
      expect(summary.resumedBytes).toBe(
        Math.min(SIZE, partsBeforeLast.indexes.size * partsBeforeLast.partSize),
      );

      expect(partsBeforeLast.indexes.size).toBeGreaterThan(0);
      const kills = runs.filter((run) => run.killed).length;
      expect(kills).toBeGreaterThanOrEqual(20);
      const partSize = partsBeforeLast.partSize;
      const records = origin.stats.perRequest;
      const servedIn = (run: Run) =>
        records.slice(run.firstRequest, run.lastRequest).reduce((sum, record) => sum + record.bytes, 0);
      runs.forEach((run, index) => {
        // A run never asks again for a part that a previous run made durable.
        for (const record of records.slice(run.firstRequest, run.lastRequest)) {
          const range = rangeOf(record.range, SIZE);
          const whole = record.range === undefined;
          for (const part of run.partsBefore.indexes) {
            const start = part * run.partsBefore.partSize;
            const end = Math.min(SIZE, start + run.partsBefore.partSize);
            const overlaps = whole || (range !== undefined && range.start < end && range.end > start);
            expect(
              overlaps,
              `run ${index} asked ${record.range ?? 'the whole file'} again; part ${part} was done`,
            ).toBe(false);
          }
        }
        // What a killed run was served beyond the parts it completed is at most the parts in flight.
        const next = runs[index + 1];
        if (run.killed && next) {
          const gained = (next.partsBefore.indexes.size - run.partsBefore.indexes.size) * partSize;
          expect(servedIn(run) - gained, `run ${index}`).toBeLessThanOrEqual(CONNECTIONS * partSize);
        }
      });
      expect(origin.stats.bytesServed).toBeLessThanOrEqual(SIZE + kills * CONNECTIONS * partSize);
      console.log(
        `crash test: ${kills} kills, ${runs.length} runs, ${(origin.stats.bytesServed / MiB).toFixed(1)} MiB served for a ${SIZE / MiB} MiB file, ${partsBeforeLast.indexes.size} parts resumed by the last run`,
      );
    }, 90_000);
  },
);
