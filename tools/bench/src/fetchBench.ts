/**
 * Download benchmark: fetch-stream's CLI against curl and aria2c, same files, same nginx,
 * same disk, in one run. Prints ratios (ours / peer wall time; lower is better) and writes
 * tools/bench/results/fetch.json.
 *
 *   pnpm bench:fetch                 # 3 rounds per case
 *   BENCH_ROUNDS=5 pnpm bench:fetch
 *
 * Cases (targets from the fetch-stream issue):
 *   1. 1 GiB over unlimited loopback: fetch-stream, 1 connection, sha256 verified vs `curl -o`.
 *      Target ratio <= 1.10. `curl -o` never fsyncs, so the target is held against
 *      `fetch-stream --no-fsync` (the same durability: a killed run resumes, a power cut may
 *      lose the last writes). Also reported, no target: fetch-stream's default, which fsyncs
 *      before the final rename, against `curl -o` alone and against `curl -o` followed by an
 *      fsync of the file (`sync <file>`, timed), the same durability.
 *   2. 256 MiB from nginx with `limit_rate 10m` per connection: fetch-stream, 8 connections vs
 *      `aria2c -x8 -s8`. Target ratio <= 1.00.
 *   3. Peak RSS of fetch-stream (8 connections) for 128 MiB and 1 GiB: <= 96 MiB, flat in size.
 *   4. Many files: `fetch-stream -i list -j16` vs `aria2c -i list -j16` (one connection per
 *      file, both verifying each file's sha256 from the list) on 1,000 x 16 KiB and on
 *      100 x 4 MiB. Target ratio <= 1.00 with fetch-stream's default durability (each file
 *      fsynced before its rename; aria2c never fsyncs); `--no-fsync` is reported beside it.
 *
 * The 1 GiB default-durability case has its own target since fetch-stream syncs in slices
 * during the transfer: <= 1.15 against `curl -o`.
 *
 * The machine's load average is recorded at start and end (it is shared; absolute times drift).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startNginx, writeRandomFile } from '@downloader/fault-origin';
import { type ManyFiles, prepareManyFiles, runAria2List, runOursList } from './lib/manyFilesCase.js';
import { type CommandSample, measureCommand, median } from './lib/measureCommand.js';
import { sha256File } from './lib/sha256File.js';
import { writeResults } from './lib/writeResults.js';

const MiB = 2 ** 20;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Files at once for the many-files cases, on both sides. */
const JOBS = 16;
const repoRoot = join(import.meta.dirname, '..', '..', '..');
const scratch = join(repoRoot, 'tools', 'bench', 'tmp', 'fetch');
const originDir = join(scratch, 'origin');
const outDir = join(scratch, 'out');
const cli = join(repoRoot, 'packages', 'fetch-stream', 'dist', 'cli.js');

interface Case {
  readonly name: string;
  readonly ours: CommandSample[];
  readonly peer: CommandSample[];
  readonly peerName: string;
  /** Highest acceptable ratio; absent for a figure that is only reported. */
  readonly target?: number;
}

function requireBinary(path: string, hint: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${hint}`);
}

async function ensureFile(name: string, size: number): Promise<string> {
  const path = join(originDir, name);
  const sha256 = await writeRandomFile(path, size, name);
  return sha256;
}

/**
 * Flushes every dirty page, untimed, after each run: otherwise the writeback of a file that was
 * not synced (curl, aria2c, fetch-stream --no-fsync) runs during the next contender's timed run.
 * fetch-stream's default syncs its own file before it exits, so that cost stays in its time.
 */
function settleDisk(): void {
  execFileSync('sync');
}

async function runOurs(
  url: string,
  output: string,
  connections: number,
  sha256: string,
  flags: ReadonlyArray<string> = [],
): Promise<CommandSample> {
  await rm(output, { force: true });
  const sample = await measureCommand(
    process.execPath,
    [cli, url, '-o', output, '-c', String(connections), '--sha256', sha256, '--quiet', ...flags],
    { reportRss: true, scratchDir: scratch },
  );
  settleDisk();
  if ((await sha256File(output)) !== sha256) throw new Error(`fetch-stream wrote wrong bytes to ${output}`);
  return sample;
}

/** `curl -o`, and the fsync of its file that gives it fetch-stream's default durability (timed apart). */
async function runCurl(url: string, output: string): Promise<{ curl: CommandSample; fsync: CommandSample }> {
  await rm(output, { force: true });
  const curl = await measureCommand('curl', ['-sS', '--fail', '-o', output, url], { scratchDir: scratch });
  // coreutils `sync FILE` is fsync(2) of that file.
  const fsync = await measureCommand('sync', [output], { scratchDir: scratch });
  settleDisk();
  return { curl, fsync };
}

async function runAria2(url: string, output: string): Promise<CommandSample> {
  await rm(output, { force: true });
  await rm(`${output}.aria2`, { force: true });
  const sample = await measureCommand(
    'aria2c',
    [
      '-x8',
      '-s8',
      // falloc is aria2's fastest allocation on ext4/xfs: the peer is not handicapped.
      '--file-allocation=falloc',
      '--allow-overwrite=true',
      '--auto-file-renaming=false',
      '--console-log-level=error',
      '--summary-interval=0',
      '-d',
      outDir,
      '-o',
      output.slice(outDir.length + 1),
      url,
    ],
    { scratchDir: scratch },
  );
  settleDisk();
  return sample;
}

function ratioOf(c: Case): number {
  return median(c.ours.map((s) => s.wallSeconds)) / median(c.peer.map((s) => s.wallSeconds));
}

async function main(): Promise<void> {
  requireBinary(cli, 'build it first: pnpm nx run @downloader/fetch-stream:build');
  requireBinary('/usr/bin/curl', 'run bash tools/scripts/install-system-deps.sh');
  requireBinary('/usr/bin/aria2c', 'run bash tools/scripts/install-system-deps.sh');
  await mkdir(originDir, { recursive: true });
  await mkdir(outDir, { recursive: true });

  console.log('preparing deterministic source files…');
  const big = await ensureFile('1g.bin', 1024 * MiB);
  const mid = await ensureFile('256m.bin', 256 * MiB);
  const small = await ensureFile('128m.bin', 128 * MiB);

  const nginx = await startNginx({ root: originDir, limitRate: '10m' });
  const loadAtStart = loadavg();
  try {
    console.log('preparing the many-files sets…');
    const manySets: ManyFiles[] = [
      await prepareManyFiles(originDir, scratch, nginx.baseUrl, 1000, 16 * 1024, '1,000 x 16 KiB'),
      await prepareManyFiles(originDir, scratch, nginx.baseUrl, 100, 4 * MiB, '100 x 4 MiB'),
    ];
    // The sources were just (re)written: flush them to disk now, or their writeback would run
    // during the first rounds and slow whoever goes first. Then read each once (untimed) so
    // every contender finds them in the page cache.
    execFileSync('sync');
    for (const name of ['1g.bin', '256m.bin', '128m.bin']) {
      execFileSync('curl', ['-sS', '--fail', '-o', '/dev/null', `${nginx.baseUrl}/${name}`]);
    }
    const cases: Case[] = [];

    const unlimited: Case = {
      name: '1 GiB, unlimited loopback, 1 connection, --no-fsync (no fsync, as curl)',
      ours: [],
      peer: [],
      peerName: 'curl -o',
      target: 1.1,
    };
    const durableVsCurl: Case = {
      name: '1 GiB, unlimited loopback, 1 connection, default (fsync before rename)',
      ours: [],
      peer: [],
      peerName: 'curl -o',
      target: 1.15,
    };
    const durableVsDurable: Case = {
      name: '1 GiB, unlimited loopback, 1 connection, default (fsync before rename)',
      ours: durableVsCurl.ours,
      peer: [],
      peerName: 'curl -o, then sync <file>',
    };
    const limited: Case = {
      name: '256 MiB, limit_rate 10m per connection, 8 connections',
      ours: [],
      peer: [],
      peerName: 'aria2c -x8 -s8',
      target: 1.0,
    };
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate who goes first so page-cache and disk-writeback effects fall on both sides.
      const oursFirst = round % 2 === 1;
      const pair1 = [
        () =>
          runOurs(`${nginx.baseUrl}/1g.bin`, join(outDir, 'ours-1g.bin'), 1, big, ['--no-fsync']).then((s) =>
            unlimited.ours.push(s),
          ),
        () =>
          runOurs(`${nginx.baseUrl}/1g.bin`, join(outDir, 'ours-1g.bin'), 1, big).then((s) =>
            durableVsCurl.ours.push(s),
          ),
        () =>
          runCurl(`${nginx.baseUrl}/1g.bin`, join(outDir, 'curl-1g.bin')).then(({ curl, fsync }) => {
            unlimited.peer.push(curl);
            durableVsCurl.peer.push(curl);
            durableVsDurable.peer.push({ wallSeconds: curl.wallSeconds + fsync.wallSeconds });
          }),
      ];
      const pair2 = [
        () =>
          runOurs(`${nginx.baseUrl}/limited/256m.bin`, join(outDir, 'ours-256m.bin'), 8, mid).then((s) =>
            limited.ours.push(s),
          ),
        () =>
          runAria2(`${nginx.baseUrl}/limited/256m.bin`, join(outDir, 'aria2-256m.bin')).then((s) =>
            limited.peer.push(s),
          ),
      ];
      for (const pair of [pair1, pair2]) {
        const order = oursFirst ? pair : [...pair].reverse();
        for (const run of order) await run();
      }
      await rm(join(outDir, 'ours-1g.bin'), { force: true });
      await rm(join(outDir, 'curl-1g.bin'), { force: true });
      console.log(`round ${round}/${ROUNDS} done`);
    }
    cases.push(unlimited, durableVsCurl, durableVsDurable, limited);

    for (const set of manySets) {
      const durable: Case = {
        name: `${set.label}, -i -j${JOBS}, default (each file fsynced before its rename)`,
        ours: [],
        peer: [],
        peerName: `aria2c -i -j${JOBS}`,
        target: 1.0,
      };
      const unsynced: Case = {
        name: `${set.label}, -i -j${JOBS}, --no-fsync (as aria2c)`,
        ours: [],
        peer: durable.peer,
        peerName: `aria2c -i -j${JOBS}`,
      };
      const listDir = join(outDir, set.folder);
      for (let round = 1; round <= ROUNDS; round++) {
        const runs = [
          () => runOursList(cli, set, listDir, JOBS, scratch).then((s) => durable.ours.push(s)),
          () =>
            runOursList(cli, set, listDir, JOBS, scratch, ['--no-fsync']).then((s) => unsynced.ours.push(s)),
          () => runAria2List(set, listDir, JOBS, scratch).then((s) => durable.peer.push(s)),
        ];
        for (const run of round % 2 === 1 ? runs : [...runs].reverse()) await run();
        console.log(`${set.label}: round ${round}/${ROUNDS} done`);
      }
      await rm(listDir, { recursive: true, force: true });
      cases.push(durable, unsynced);
    }

    const rss128 = await runOurs(`${nginx.baseUrl}/128m.bin`, join(outDir, 'ours-128m.bin'), 8, small);
    const rss1g = await runOurs(`${nginx.baseUrl}/1g.bin`, join(outDir, 'ours-1g.bin'), 8, big);
    await rm(outDir, { recursive: true, force: true });

    const report = cases.map((c) => ({
      case: c.name,
      peer: c.peerName,
      oursSeconds: c.ours.map((s) => Number(s.wallSeconds.toFixed(3))),
      peerSeconds: c.peer.map((s) => Number(s.wallSeconds.toFixed(3))),
      ratio: Number(ratioOf(c).toFixed(3)),
      ...(c.target === undefined
        ? { target: 'reported, no target' }
        : { target: `<= ${c.target.toFixed(2)}`, meetsTarget: ratioOf(c) <= c.target }),
    }));
    const rss = {
      peakRssMiB128: Number(((rss128.peakRssBytes ?? 0) / MiB).toFixed(1)),
      peakRssMiB1024: Number(((rss1g.peakRssBytes ?? 0) / MiB).toFixed(1)),
      target: '<= 96 MiB and not growing with size',
    };
    const rssOk =
      rss.peakRssMiB1024 <= 96 && rss.peakRssMiB128 <= 96 && rss.peakRssMiB1024 <= rss.peakRssMiB128 * 1.25;

    console.log('');
    for (const row of report) {
      console.log(
        `${row.case}: fetch-stream median ${median(row.oursSeconds).toFixed(2)} s vs ${row.peer} ${median(row.peerSeconds).toFixed(2)} s → ratio ${row.ratio} (target ${row.target})${'meetsTarget' in row ? (row.meetsTarget ? ' OK' : ' MISSED') : ''}`,
      );
    }
    console.log(
      `peak RSS (8 connections): 128 MiB → ${rss.peakRssMiB128} MiB, 1 GiB → ${rss.peakRssMiB1024} MiB (target ${rss.target}) ${rssOk ? 'OK' : 'MISSED'}`,
    );
    const loadAtEnd = loadavg();
    console.log(
      `load average (1/5/15 min): start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}, end ${loadAtEnd.map((l) => l.toFixed(2)).join(' ')}`,
    );
    const path = await writeResults('fetch', {
      rounds: ROUNDS,
      loadAverage: {
        start: loadAtStart.map((l) => Number(l.toFixed(2))),
        end: loadAtEnd.map((l) => Number(l.toFixed(2))),
      },
      cases: report,
      peakRss: { ...rss, meetsTarget: rssOk },
    });
    console.log(`results written to ${path}`);
  } finally {
    await nginx.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
