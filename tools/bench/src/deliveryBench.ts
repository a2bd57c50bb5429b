/**
 * Delivery benchmark: 100 files × 4 MiB served by nginx on loopback, fetched by the local service
 * (register → signed callback with the inline file list → poll until `completed`) against
 * `aria2c -j16 -i <list>` on the same files, same disk, same run, contenders alternating per
 * round. The service verifies every file's sha256 (from the callback's checksums). aria2c runs
 * twice per round: plain (the target's peer: it verifies nothing, so it is the stricter
 * comparison) and with `checksum=sha-256=…` per file in its list (like for like). The harness then
 * hashes every file on disk for every contender, untimed.
 * Prints the median wall times and the ratios (ours / aria2c; lower is better) and writes
 * tools/bench/results/delivery.json. Target: ratio vs plain aria2c <= 1.3.
 *
 *   pnpm nx run-many -t build --projects=@downloader/service,@downloader/batch-runner && tsx tools/bench/src/deliveryBench.ts
 *   BENCH_ROUNDS=5 BENCH_FILES=100 BENCH_FILE_MIB=4 tsx tools/bench/src/deliveryBench.ts
 *
 * Our wall time runs from `POST /deliveries` to the poll (every 25 ms) that sees `completed`; the
 * service is already running (it is a long-lived server), aria2c's time includes its process start.
 * The service fetches 16 files at a time (BENCH_MAX_CONCURRENCY), as `-j16` lets aria2c, with its
 * other defaults (small files on its download threads). BENCH_CHILD_NODE_ARGS gives the service
 * process extra Node flags, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { generateStandardWebhooksSecret } from '@downloader/callback-core';
import { startNginx, writeRandomFile } from '@downloader/fault-origin';
import { aria2InputList } from './lib/aria2InputList.js';
import { measureCommand, median } from './lib/measureCommand.js';
import { processCpuSeconds } from './lib/processCpuSeconds.js';
import { registerDelivery, sendCallback, unfinishedFiles, waitUntilSettled } from './lib/serviceClient.js';
import { signedCallback } from './lib/signedCallback.js';
import { startChildServer } from './lib/startChildServer.js';
import { type ExpectedFile, verifyFiles } from './lib/verifyFiles.js';
import { writeResults } from './lib/writeResults.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FILES = Number(process.env.BENCH_FILES ?? 100);
const FILE_BYTES = Number(process.env.BENCH_FILE_MIB ?? 4) * 2 ** 20;
const CONCURRENCY = Number(process.env.BENCH_MAX_CONCURRENCY ?? 16);
const TARGET_RATIO = 1.3;
const repoRoot = join(import.meta.dirname, '..', '..', '..');
const scratchRoot = join(repoRoot, 'tools', 'bench', 'tmp');

interface OursRound {
  readonly wallSeconds: number;
  /** From the 202 of the callback to `completed`: the download part alone. */
  readonly afterCallbackSeconds: number;
  /** CPU seconds the service process used in the round; near the wall time: CPU-bound. */
  readonly serviceCpuSeconds?: number;
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(3));

async function main(): Promise<void> {
  await mkdir(scratchRoot, { recursive: true });
  const scratch = await mkdtemp(join(scratchRoot, 'delivery-'));
  const originDir = join(scratch, 'origin');
  const downloadsDir = join(scratch, 'downloads');
  const aria2Dir = join(scratch, 'aria2');
  await mkdir(originDir);
  const out = (line = '') => process.stdout.write(`${line}\n`);

  const expected: ExpectedFile[] = [];
  for (let i = 0; i < FILES; i += 1) {
    const name = `file-${String(i).padStart(3, '0')}.bin`;
    expected.push({ name, sha256: await writeRandomFile(join(originDir, name), FILE_BYTES, name) });
  }
  const nginx = await startNginx({ root: originDir });
  const entries = expected.map((file) => ({ ...file, url: `${nginx.baseUrl}/${file.name}` }));
  const listPath = join(scratch, 'aria2-input.txt');
  await writeFile(listPath, aria2InputList(entries, { checksums: false }));
  const checkedListPath = join(scratch, 'aria2-input-checksums.txt');
  await writeFile(checkedListPath, aria2InputList(entries, { checksums: true }));
  const callbackBody = JSON.stringify({
    files: entries.map((file) => ({
      url: file.url,
      name: file.name,
      size: FILE_BYTES,
      checksums: { sha256: file.sha256 },
    })),
  });

  const secret = generateStandardWebhooksSecret();
  const service = await startChildServer<{ url: string }>(
    join(import.meta.dirname, 'lib', 'localServiceServer.ts'),
    {
      BENCH_SECRET: secret,
      BENCH_ORIGIN_PORT: String(nginx.port),
      BENCH_DATA_DIR: join(scratch, 'state'),
      BENCH_DOWNLOADS_DIR: downloadsDir,
      BENCH_MAX_CONCURRENCY: String(CONCURRENCY),
    },
  );

  const runOurs = async (round: number): Promise<OursRound> => {
    const cpuBefore = await processCpuSeconds(service.pid);
    const started = performance.now();
    const delivery = await registerDelivery(service.info.url, 'demo');
    const status = await sendCallback(
      delivery.callbackUrl,
      signedCallback(secret, `msg_delivery_bench_${round}`, callbackBody),
    );
    if (status !== 202) throw new Error(`the callback was answered ${status}, expected 202`);
    const accepted = performance.now();
    const settled = await waitUntilSettled(service.info.url, delivery.id);
    const finished = performance.now();
    const cpuAfter = await processCpuSeconds(service.pid);
    if (settled.status !== 'completed') {
      const failed = await unfinishedFiles(service.info.url, delivery.id, 5);
      throw new Error(
        `delivery ${delivery.id} ended ${settled.status}; not completed: ${failed.slice(0, 5).join(', ')}`,
      );
    }
    await verifyFiles(join(downloadsDir, delivery.id), expected, 'service');
    await rm(join(downloadsDir, delivery.id), { recursive: true, force: true });
    return {
      wallSeconds: seconds(finished - started),
      afterCallbackSeconds: seconds(finished - accepted),
      ...(cpuBefore === undefined || cpuAfter === undefined
        ? {}
        : { serviceCpuSeconds: Number((cpuAfter - cpuBefore).toFixed(2)) }),
    };
  };

  const runAria2 = async (list: string): Promise<number> => {
    await rm(aria2Dir, { recursive: true, force: true });
    await mkdir(aria2Dir);
    const sample = await measureCommand(
      'aria2c',
      [
        '-j16',
        '-i',
        list,
        '-d',
        aria2Dir,
        // falloc is aria2's fastest allocation on ext4/xfs: the peer is not handicapped.
        '--file-allocation=falloc',
        '--console-log-level=error',
        '--summary-interval=0',
        '--allow-overwrite=true',
        '--auto-file-renaming=false',
      ],
      { scratchDir: scratch },
    );
    await verifyFiles(aria2Dir, expected, 'aria2c');
    return Number(sample.wallSeconds.toFixed(3));
  };

  // One-minute load average before and after the rounds: other work on a shared machine shows here.
  const loadBefore = Number(loadavg()[0]?.toFixed(2));
  try {
    const ours: OursRound[] = [];
    const aria2: number[] = [];
    const aria2Checked: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate who goes first so neither always meets a warm (or cold) page cache first.
      if (round % 2 === 0) {
        ours.push(await runOurs(round));
        aria2.push(await runAria2(listPath));
        aria2Checked.push(await runAria2(checkedListPath));
      } else {
        aria2Checked.push(await runAria2(checkedListPath));
        aria2.push(await runAria2(listPath));
        ours.push(await runOurs(round));
      }
      out(
        `round ${round + 1}/${ROUNDS}: service ${ours.at(-1)?.wallSeconds} s ` +
          `(${ours.at(-1)?.serviceCpuSeconds ?? '?'} s CPU), aria2c ${aria2.at(-1)} s, ` +
          `aria2c with checksums ${aria2Checked.at(-1)} s`,
      );
    }
    const loadAfter = Number(loadavg()[0]?.toFixed(2));
    const oursMedian = median(ours.map((r) => r.wallSeconds));
    const aria2Median = median(aria2);
    const aria2CheckedMedian = median(aria2Checked);
    const ratio = Number((oursMedian / aria2Median).toFixed(3));
    const checkedRatio = Number((oursMedian / aria2CheckedMedian).toFixed(3));
    const totalMiB = (FILES * FILE_BYTES) / 2 ** 20;
    const rate = (wall: number) => `${wall} s (${(totalMiB / wall).toFixed(0)} MiB/s)`;
    out(
      `${FILES} files × ${FILE_BYTES / 2 ** 20} MiB from nginx, every file hashed on disk, median of ${ROUNDS} rounds`,
    );
    out(`service (register → callback → completed, sha256 verified): ${rate(oursMedian)}`);
    out(`aria2c -j16 -i <list>:                                      ${rate(aria2Median)}`);
    out(`aria2c -j16 -i <list>, checksum=sha-256 per file:           ${rate(aria2CheckedMedian)}`);
    out(
      `ratio ours/aria2c ${ratio} (target <= ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`,
    );
    out(`ratio ours/aria2c with checksums ${checkedRatio}`);
    out(`load average (1 min) ${loadBefore} before, ${loadAfter} after`);
    const path = await writeResults('delivery', {
      description: `Files from nginx on loopback: the local service (register, signed callback with the inline list, poll until completed; sha256 verified; ${CONCURRENCY} files at a time) vs aria2c -j16 -i <list>, plain and with per-file sha-256 checksums; same files, same disk, contenders alternating per round; every file hashed on disk afterwards for every contender.`,
      files: FILES,
      fileBytes: FILE_BYTES,
      rounds: ROUNDS,
      loadAverage1m: { before: loadBefore, after: loadAfter },
      serviceMaxConcurrency: CONCURRENCY,
      service: {
        medianWallSeconds: oursMedian,
        medianAfterCallbackSeconds: median(ours.map((r) => r.afterCallbackSeconds)),
        rounds: ours,
      },
      aria2c: {
        args: '-j16 -i <list> --file-allocation=falloc',
        medianWallSeconds: aria2Median,
        rounds: aria2,
      },
      aria2cWithChecksums: {
        args: '-j16 -i <list with checksum=sha-256=… per file> --file-allocation=falloc',
        medianWallSeconds: aria2CheckedMedian,
        rounds: aria2Checked,
      },
      ratio,
      ratioVsAria2cWithChecksums: checkedRatio,
      target: `wall ratio ours/plain aria2c <= ${TARGET_RATIO}`,
      meetsTarget: ratio <= TARGET_RATIO,
    });
    out(`wrote ${path}`);
  } finally {
    await service.close();
    await nginx.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `delivery benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
