/**
 * Many-small-files benchmark: N files of 16 KiB served by nginx on loopback, fetched by the local
 * service (register → signed callback with the inline list and every file's sha256 → poll until
 * `completed`) against `aria2c -j16 -i <list>` with `checksum=sha-256=…` per file, on the same
 * files, same disk, same run. Sizes 1,000 / 10,000 / 100,000 by default. Per size: wall times,
 * ratio ours/aria2c, ms per file, and the service process's peak RSS (VmHWM of a service started
 * fresh for that size, so a larger size never inherits a smaller one's peak). The harness hashes
 * every file on disk for both contenders, untimed. Writes tools/bench/results/many-small-files.json.
 *
 *   pnpm nx run-many -t build --projects=@downloader/service,@downloader/batch-runner && tsx tools/bench/src/manySmallFilesBench.ts
 *   BENCH_SIZES=1000,10000 BENCH_FILE_KIB=16 BENCH_MAX_CONCURRENCY=16 tsx tools/bench/src/manySmallFilesBench.ts
 *
 * Targets: ratio <= 1.5 at 10,000 and at 100,000; ms per file at the largest size within 1.25× of
 * ms per file at the smallest; peak RSS <= 256 MiB at every size. BENCH_CHILD_NODE_ARGS gives the
 * service process extra Node flags (`--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { generateStandardWebhooksSecret } from '@downloader/callback-core';
import { startNginx } from '@downloader/fault-origin';
import { aria2InputList } from './lib/aria2InputList.js';
import { measureCommand } from './lib/measureCommand.js';
import { processCpuSeconds } from './lib/processCpuSeconds.js';
import { registerDelivery, sendCallback, waitUntilSettled } from './lib/serviceClient.js';
import { signedCallback } from './lib/signedCallback.js';
import { startChildServer } from './lib/startChildServer.js';
import type { ExpectedFile } from './lib/verifyFiles.js';
import { writeResults } from './lib/writeResults.js';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const FILE_BYTES = Number(process.env.BENCH_FILE_KIB ?? 16) * 1024;
const CONCURRENCY = Number(process.env.BENCH_MAX_CONCURRENCY ?? 16);
const TARGET_RATIO = 1.5;
const TARGET_SCALING = 1.25;
const TARGET_RSS_MIB = 256;
const repoRoot = join(import.meta.dirname, '..', '..', '..');
const scratchRoot = join(repoRoot, 'tools', 'bench', 'tmp');

interface SizeResult {
  readonly files: number;
  readonly serviceWallSeconds: number;
  readonly serviceCpuSeconds?: number;
  readonly aria2cWallSeconds: number;
  readonly ratio: number;
  readonly serviceMsPerFile: number;
  readonly aria2cMsPerFile: number;
  readonly servicePeakRssMiB: number;
  readonly loadAverage1m: { readonly before: number; readonly after: number };
}

const round3 = (value: number) => Number(value.toFixed(3));
const load1m = () => Number(loadavg()[0]?.toFixed(2));

/** Peak resident set size of a running process (VmHWM), in MiB. */
async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1]);
  return Number((kib / 1024).toFixed(1));
}

/**
 * Hashes every expected file under `dir` (8 at a time, each read whole: they are small) and
 * throws, naming the first few, unless all match.
 */
async function verifySmallFiles(dir: string, expected: readonly ExpectedFile[], who: string): Promise<void> {
  const wrong: string[] = [];
  let next = 0;
  const reader = async () => {
    while (next < expected.length) {
      const file = expected[next] as ExpectedFile;
      next += 1;
      const bytes = await readFile(join(dir, file.name)).catch(() => undefined);
      if (bytes === undefined || createHash('sha256').update(bytes).digest('hex') !== file.sha256) {
        wrong.push(`${file.name} (${bytes === undefined ? 'missing' : 'wrong sha256'})`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, reader));
  if (wrong.length > 0) {
    throw new Error(
      `${who}: ${wrong.length}/${expected.length} files not verified: ${wrong.slice(0, 5).join(', ')}`,
    );
  }
}

/** Writes `count` files of random bytes into `dir` (100 per folder); returns names and hashes. */
async function writeOriginFiles(dir: string, count: number): Promise<ExpectedFile[]> {
  const expected: ExpectedFile[] = [];
  for (let i = 0; i < count; i += 1) {
    const folder = `d${String(Math.floor(i / 100)).padStart(4, '0')}`;
    if (i % 100 === 0) await mkdir(join(dir, folder), { recursive: true });
    const name = `${folder}/f${String(i).padStart(6, '0')}.bin`;
    const bytes = randomBytes(FILE_BYTES);
    await writeFile(join(dir, name), bytes);
    expected.push({ name, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return expected;
}

async function main(): Promise<void> {
  await mkdir(scratchRoot, { recursive: true });
  const scratch = await mkdtemp(join(scratchRoot, 'many-small-'));
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const originDir = join(scratch, 'origin');
  await mkdir(originDir);
  const largest = Math.max(...SIZES);
  out(`writing ${largest} origin files of ${FILE_BYTES / 1024} KiB …`);
  const all = await writeOriginFiles(originDir, largest);
  const nginx = await startNginx({ root: originDir });
  const secret = generateStandardWebhooksSecret();
  const results: SizeResult[] = [];
  try {
    for (const size of SIZES) {
      const expected = all.slice(0, size);
      const entries = expected.map((file) => ({ ...file, url: `${nginx.baseUrl}/${file.name}` }));
      const listPath = join(scratch, `aria2-${size}.txt`);
      await writeFile(listPath, aria2InputList(entries, { checksums: true }));
      const body = JSON.stringify({
        files: entries.map((file) => ({
          url: file.url,
          name: file.name,
          size: FILE_BYTES,
          checksums: { sha256: file.sha256 },
        })),
      });
      const loadBefore = load1m();

      // Ours: a service started for this size alone (its peak RSS is this size's).
      const downloadsDir = join(scratch, `downloads-${size}`);
      const service = await startChildServer<{ url: string }>(
        join(import.meta.dirname, 'lib', 'bulkServiceServer.mjs'),
        {
          BENCH_SECRET: secret,
          BENCH_ORIGIN_PORT: String(nginx.port),
          BENCH_DATA_DIR: join(scratch, `state-${size}`),
          BENCH_DOWNLOADS_DIR: downloadsDir,
          BENCH_MAX_CONCURRENCY: String(CONCURRENCY),
        },
        60_000,
        { inheritLoader: false },
      );
      let serviceWall: number;
      let serviceCpu: number | undefined;
      let rss: number;
      try {
        const cpuBefore = await processCpuSeconds(service.pid);
        const started = performance.now();
        const delivery = await registerDelivery(service.info.url, 'bulk');
        const status = await sendCallback(
          delivery.callbackUrl,
          signedCallback(secret, `msg_many_small_${size}`, body),
        );
        if (status !== 202) throw new Error(`the callback was answered ${status}, expected 202`);
        // Polled every 250 ms: a status read of a 100,000-file delivery must not load the service.
        const settled = await waitUntilSettled(service.info.url, delivery.id, 250, 3_600_000);
        serviceWall = (performance.now() - started) / 1000;
        const cpuAfter = await processCpuSeconds(service.pid);
        serviceCpu =
          cpuBefore === undefined || cpuAfter === undefined ? undefined : round3(cpuAfter - cpuBefore);
        rss = await peakRssMiB(service.pid);
        if (settled.status !== 'completed')
          throw new Error(`delivery ${delivery.id} ended ${settled.status}`);
        await verifySmallFiles(join(downloadsDir, delivery.id), expected, 'service');
      } finally {
        await service.close();
      }
      await rm(downloadsDir, { recursive: true, force: true });
      out(
        `${size} files: service ${round3(serviceWall)} s (${serviceCpu ?? '?'} s CPU, ` +
          `${round3((serviceWall * 1000) / size)} ms/file, peak RSS ${rss} MiB); aria2c next`,
      );

      // aria2c on the same list, with a sha-256 check per file.
      const aria2Dir = join(scratch, `aria2-${size}`);
      await mkdir(aria2Dir);
      const aria2 = await measureCommand(
        'aria2c',
        [
          '-j16',
          '-i',
          listPath,
          '-d',
          aria2Dir,
          '--file-allocation=falloc',
          '--console-log-level=error',
          '--summary-interval=0',
          '--allow-overwrite=true',
          '--auto-file-renaming=false',
        ],
        { scratchDir: scratch },
      );
      await verifySmallFiles(aria2Dir, expected, 'aria2c');
      await rm(aria2Dir, { recursive: true, force: true });

      const result: SizeResult = {
        files: size,
        serviceWallSeconds: round3(serviceWall),
        ...(serviceCpu === undefined ? {} : { serviceCpuSeconds: serviceCpu }),
        aria2cWallSeconds: round3(aria2.wallSeconds),
        ratio: round3(serviceWall / aria2.wallSeconds),
        serviceMsPerFile: round3((serviceWall * 1000) / size),
        aria2cMsPerFile: round3((aria2.wallSeconds * 1000) / size),
        servicePeakRssMiB: rss,
        loadAverage1m: { before: loadBefore, after: load1m() },
      };
      results.push(result);
      await summarise(results, () => undefined);
      out(
        `${size} files: service ${result.serviceWallSeconds} s (${result.serviceCpuSeconds ?? '?'} s CPU, ` +
          `${result.serviceMsPerFile} ms/file, peak RSS ${rss} MiB), aria2c ${result.aria2cWallSeconds} s, ` +
          `ratio ${result.ratio}, load ${loadBefore} → ${result.loadAverage1m.after}`,
      );
    }
  } finally {
    await nginx.close();
    await rm(scratch, { recursive: true, force: true });
  }

  await summarise(results, out);
}

/** Prints the targets and writes results/many-small-files.json (after every size: a long run keeps what it measured). */
async function summarise(results: readonly SizeResult[], out: (line?: string) => void): Promise<void> {
  const bySize = (files: number) => results.find((result) => result.files === files);
  const smallest = results[0];
  const biggest = results.at(-1);
  const scaling =
    smallest === undefined || biggest === undefined
      ? undefined
      : round3(biggest.serviceMsPerFile / smallest.serviceMsPerFile);
  const ratioTargets = [10_000, 100_000].flatMap((files) => {
    const result = bySize(files);
    return result === undefined ? [] : [{ files, ratio: result.ratio, met: result.ratio <= TARGET_RATIO }];
  });
  const rssMet = results.every((result) => result.servicePeakRssMiB <= TARGET_RSS_MIB);
  for (const target of ratioTargets) {
    out(
      `ratio at ${target.files}: ${target.ratio} (target <= ${TARGET_RATIO}: ${target.met ? 'met' : 'NOT met'})`,
    );
  }
  if (scaling !== undefined) {
    out(
      `ms/file ${biggest?.files} vs ${smallest?.files}: ×${scaling} (target <= ${TARGET_SCALING}: ${scaling <= TARGET_SCALING ? 'met' : 'NOT met'})`,
    );
  }
  out(`peak RSS <= ${TARGET_RSS_MIB} MiB at every size: ${rssMet ? 'met' : 'NOT met'}`);
  const path = await writeResults('many-small-files', {
    description: `Files of ${FILE_BYTES / 1024} KiB from nginx on loopback: the local service (a fresh service process per size; register, signed callback with the inline list and sha256 per file, poll every 250 ms until completed; ${CONCURRENCY} files at a time) vs aria2c -j16 -i <list with checksum=sha-256=… per file>; same files, same disk; every file hashed on disk afterwards for both.`,
    fileBytes: FILE_BYTES,
    serviceMaxConcurrency: CONCURRENCY,
    sizes: results,
    msPerFileScaling: scaling,
    targets: {
      ratio: `<= ${TARGET_RATIO} at 10,000 and 100,000`,
      ratioMet: ratioTargets,
      msPerFileScaling: `<= ${TARGET_SCALING}× from the smallest to the largest size`,
      msPerFileScalingMet: scaling === undefined ? undefined : scaling <= TARGET_SCALING,
      peakRss: `<= ${TARGET_RSS_MIB} MiB`,
      peakRssMet: rssMet,
    },
  });
  out(`wrote ${path}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `many-small-files benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
