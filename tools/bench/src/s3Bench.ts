/**
 * S3 upload benchmark: the same 1 GiB stream into the same local S3-protocol server (fauxqs on
 * 127.0.0.1, in this process), uploaded by our writer (`uploadStreamToS3` from
 * `@downloader/fetch-stream/s3`) and by `@aws-sdk/lib-storage` `Upload` with its defaults, each
 * in its own child process, one after the other in one run. Prints the wall-time ratio
 * (ours / peer; lower is better) and each child's peak RSS, and writes tools/bench/results/s3.json.
 *
 *   pnpm nx run @downloader/fetch-stream:build && tsx tools/bench/src/s3Bench.ts
 *   BENCH_S3_MIB=256 tsx tools/bench/src/s3Bench.ts     # a smaller stream
 *   BENCH_ROUNDS=3 tsx tools/bench/src/s3Bench.ts       # contenders interleaved per round; medians
 *
 * Work differs on purpose and is reported: ours computes the sha256 of the stream, a CRC-32 per
 * part and the full-object CRC-32, writes a resume journal and records the sha256 as metadata
 * (one server-side copy); the peer is measured twice: with checksums as our client sends them
 * (`WHEN_REQUIRED`: none) and with the SDK's default checksum behaviour (`WHEN_SUPPORTED`).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { uploadStreamToS3 } from '@downloader/fetch-stream/s3';
import { startS3Server, TEST_CREDENTIALS } from '@downloader/s3-server';

const MiB = 2 ** 20;
const SIZE = Number(process.env.BENCH_S3_MIB ?? 1024) * MiB;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
const BUCKET = 'bench';
const resultsFile = join(import.meta.dirname, '..', 'results', 's3.json');

type Contender = 'fetch-stream' | 'fetch-stream-no-copy' | 'lib-storage' | 'lib-storage-sdk-checksums';

/** What a child reports on its last stdout line. */
interface ChildReport {
  readonly contender: Contender;
  readonly uploadSeconds: number;
  readonly peakRssBytes: number;
  readonly parts?: number;
  readonly peakBufferedBytes?: number;
  readonly memoryBudget?: number;
  readonly sha256?: string;
}

/**
 * The benchmark stream: `size` bytes in 1 MiB chunks drawn from a 16 MiB random pool at a
 * moving offset. Deterministic per process, identical for every contender, cheap to produce.
 */
async function* benchStream(size: number): AsyncGenerator<Buffer> {
  const pool = Buffer.alloc(16 * MiB);
  let x = 0x9e3779b9;
  for (let i = 0; i < pool.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    pool.writeUInt32LE(x >>> 0, i);
  }
  const chunk = MiB;
  for (let sent = 0, n = 0; sent < size; n++) {
    const length = Math.min(chunk, size - sent);
    const start = (n * 7919 * 4096) % (pool.length - chunk);
    // A fresh copy per chunk, as bytes arriving from a socket would be.
    yield Buffer.from(pool.subarray(start, start + length));
    sent += length;
  }
}

/**
 * This process's peak RSS (VmHWM). Not getrusage's maxRSS: on Linux that survives exec, so a
 * child spawned by a harness that holds a 1 GiB in-memory S3 server would report the harness's size.
 */
async function peakRss(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8');
  const kib = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kib === undefined ? process.resourceUsage().maxRSS * 1024 : Number(kib) * 1024;
}

function clientFor(endpoint: string, sdkChecksums: boolean): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
    ...(sdkChecksums
      ? {}
      : {
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }),
  });
}

async function runChild(contender: Contender, endpoint: string, key: string): Promise<void> {
  const client = clientFor(endpoint, contender === 'lib-storage-sdk-checksums');
  const started = performance.now();
  let report: ChildReport;
  if (contender === 'fetch-stream' || contender === 'fetch-stream-no-copy') {
    const result = await uploadStreamToS3({
      client,
      bucket: BUCKET,
      key,
      size: SIZE,
      source: benchStream(SIZE),
      sha256MetadataCopy: contender === 'fetch-stream',
    });
    report = {
      contender,
      uploadSeconds: (performance.now() - started) / 1000,
      peakRssBytes: await peakRss(),
      parts: result.parts,
      peakBufferedBytes: result.peakBufferedBytes,
      sha256: result.sha256,
    };
  } else {
    const upload = new Upload({
      client,
      params: { Bucket: BUCKET, Key: key, Body: Readable.from(benchStream(SIZE), { objectMode: false }) },
    });
    await upload.done();
    report = {
      contender,
      uploadSeconds: (performance.now() - started) / 1000,
      peakRssBytes: await peakRss(),
    };
  }
  client.destroy();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** Runs one contender in a child process; resolves with its report and the child's wall time. */
function measure(
  contender: Contender,
  endpoint: string,
  key: string,
): Promise<ChildReport & { wallSeconds: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, '--child', contender, endpoint, key],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString()).slice(-4000);
    });
    child.on('exit', (code) => {
      const wallSeconds = (performance.now() - started) / 1000;
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`${contender} exited ${code}\n${err}`));
      else resolve({ ...(JSON.parse(last) as ChildReport), wallSeconds });
    });
  });
}

async function storedSha256(client: S3Client, key: string): Promise<string> {
  const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const hash = createHash('sha256');
  for await (const chunk of got.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest('hex');
}

async function main(): Promise<void> {
  const server = await startS3Server({ backend: 'fauxqs', buckets: [BUCKET] });
  const client = server.client();
  const expected = createHash('sha256');
  for await (const chunk of benchStream(SIZE)) expected.update(chunk);
  const expectedSha256 = expected.digest('hex');
  const all: Array<ChildReport & { wallSeconds: number; stored: boolean }> = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const contender of [
        'fetch-stream',
        'fetch-stream-no-copy',
        'lib-storage',
        'lib-storage-sdk-checksums',
      ] as const) {
        const key = `bench/${contender}.bin`;
        const run = await measure(contender, server.endpoint, key);
        const stored = (await storedSha256(client, key)) === expectedSha256;
        await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
        all.push({ ...run, stored });
        console.log(
          `${contender.padEnd(26)} wall ${run.wallSeconds.toFixed(2)} s  upload ${run.uploadSeconds.toFixed(2)} s  ` +
            `peak RSS ${(run.peakRssBytes / MiB).toFixed(0)} MiB  object ${stored ? 'byte-identical' : 'WRONG'}`,
        );
      }
    }
  } finally {
    client.destroy();
    await server.close();
  }
  const runs = (
    ['fetch-stream', 'fetch-stream-no-copy', 'lib-storage', 'lib-storage-sdk-checksums'] as const
  ).map((contender) => medianRun(all.filter((r) => r.contender === contender)));
  const ours = runs.find((r) => r?.contender === 'fetch-stream');
  const oursNoCopy = runs.find((r) => r?.contender === 'fetch-stream-no-copy');
  const peer = runs.find((r) => r?.contender === 'lib-storage');
  const peerSdk = runs.find((r) => r?.contender === 'lib-storage-sdk-checksums');
  if (!ours || !oursNoCopy || !peer || !peerSdk) throw new Error('a contender is missing');
  const results = {
    benchmark: 's3-upload',
    date: new Date().toISOString(),
    node: process.version,
    server: 'fauxqs 1.9.2 on 127.0.0.1 (in the harness process, objects in memory)',
    bytes: SIZE,
    rounds: ROUNDS,
    expectedSha256,
    note:
      'child processes, contenders interleaved per round, median run per contender; wall = child process lifetime; peak RSS = child VmHWM (includes the tsx loader). ' +
      'fetch-stream also computes sha256 + CRC-32 per part + full-object CRC-32, writes a resume journal and copies the object in place to record x-amz-meta-sha256.',
    fetchStream: {
      wallSeconds: ours.wallSeconds,
      uploadSeconds: ours.uploadSeconds,
      peakRssBytes: ours.peakRssBytes,
      parts: ours.parts,
      peakBufferedBytes: ours.peakBufferedBytes,
      memoryBudgetBytes: 5 * 8 * MiB,
      byteIdentical: ours.stored,
      sha256Matches: ours.sha256 === expectedSha256,
    },
    fetchStreamWithoutMetadataCopy: {
      what: 'same writer with sha256MetadataCopy: false (sha256 in the result only, no in-place copy)',
      ...pick(oursNoCopy),
    },
    libStorage: { defaults: 'partSize 5 MiB, queueSize 4', checksums: 'WHEN_REQUIRED (none)', ...pick(peer) },
    libStorageSdkChecksums: {
      defaults: 'partSize 5 MiB, queueSize 4',
      checksums: 'WHEN_SUPPORTED (SDK default)',
      ...pick(peerSdk),
    },
    ratios: {
      wallVsLibStorage: round(ours.wallSeconds / peer.wallSeconds),
      wallNoCopyVsLibStorage: round(oursNoCopy.wallSeconds / peer.wallSeconds),
      wallVsLibStorageSdkChecksums: round(ours.wallSeconds / peerSdk.wallSeconds),
      peakRssVsLibStorage: round(ours.peakRssBytes / peer.peakRssBytes),
    },
    target: 'wall ratio <= 1.0 with peak buffered part bytes within the configured budget',
  };
  console.log(
    `ratio wall ours/lib-storage ${results.ratios.wallVsLibStorage} (without metadata copy ${results.ratios.wallNoCopyVsLibStorage}; vs SDK-checksums ${results.ratios.wallVsLibStorageSdkChecksums}); ` +
      `peak buffered ${((ours.peakBufferedBytes ?? 0) / MiB).toFixed(0)} MiB of a ${results.fetchStream.memoryBudgetBytes / MiB} MiB budget`,
  );
  await mkdir(join(resultsFile, '..'), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${resultsFile}`);
}

/** The run with the median wall time (the lower middle one for an even count). */
function medianRun<T extends { wallSeconds: number }>(runs: ReadonlyArray<T>): T | undefined {
  const sorted = [...runs].sort((a, b) => a.wallSeconds - b.wallSeconds);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function pick(r: ChildReport & { wallSeconds: number; stored: boolean }) {
  return {
    wallSeconds: r.wallSeconds,
    uploadSeconds: r.uploadSeconds,
    peakRssBytes: r.peakRssBytes,
    byteIdentical: r.stored,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

const [flag, contender, endpoint, key] = process.argv.slice(2);
if (flag === '--child' && contender && endpoint && key) {
  await runChild(contender as Contender, endpoint, key);
} else {
  await main();
}
