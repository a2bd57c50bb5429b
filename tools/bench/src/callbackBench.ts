/**
 * Callback endpoint benchmark: `POST /callbacks/{id}` of the local service (body read with a cap,
 * Standard Webhooks signature verified, dedupe lookup in SQLite) against a bare Hono hello-world on
 * the same @hono/node-server adapter, same machine, same run, same request bytes. Each server runs
 * in its own Node process; autocannon drives it from this one (loopback only).
 * Prints requests per second, p50/p99 latency, each server's CPU per request (from procfs) and
 * the ratio (ours / bare; higher is better), with the machine's load average at start and end, and
 * writes tools/bench/results/callback.json. Target: ours >= 0.5x bare for the steady state.
 *
 *   pnpm nx run @downloader/service:build && tsx tools/bench/src/callbackBench.ts
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=10 BENCH_FIRST_TIME=500 tsx tools/bench/src/callbackBench.ts
 *
 * Cases:
 *   1. Steady state: duplicates of one accepted callback, each answered 200 (what a provider's
 *      retries look like). Every request is fully verified before the dedupe lookup answers it.
 *      Also reported: the hello-world that reads the whole body before answering, to show how
 *      much of the gap is the cost of looking at the body at all (no target against it).
 *   2. First-time callbacks: BENCH_FIRST_TIME deliveries registered up front, one signed callback
 *      each, answered 202. Each one is stored and wakes its workflow, which then downloads a tiny
 *      file, so this figure includes that background work. Reported; no target.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { generateStandardWebhooksSecret } from '@downloader/callback-core';
import { startNginx, writeRandomFile } from '@downloader/fault-origin';
import { type LoadRequest, type LoadResult, loadTest } from './lib/loadTest.js';
import { processCpuSeconds } from './lib/processCpuSeconds.js';
import { registerDelivery, sendCallback, waitUntilSettled } from './lib/serviceClient.js';
import { signedCallback } from './lib/signedCallback.js';
import { startChildServer } from './lib/startChildServer.js';
import { writeResults } from './lib/writeResults.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const FIRST_TIME = Number(process.env.BENCH_FIRST_TIME ?? 500);
const TARGET_RATIO = 0.5;
const repoRoot = join(import.meta.dirname, '..', '..', '..');
const scratchRoot = join(repoRoot, 'tools', 'bench', 'tmp');

interface Side {
  readonly name: string;
  readonly result: LoadResult;
  /** The server process's CPU (user + system) over the measured seconds, where procfs exists. */
  readonly serverCpu?: { readonly cores: number; readonly microsecondsPerRequest: number };
}

function describe(side: Side): string {
  const r = side.result;
  const codes = Object.entries(r.statusCodes)
    .map(([code, count]) => `${code}×${count}`)
    .join(' ');
  return (
    `${side.name.padEnd(34)} ${String(r.requestsPerSecond).padStart(7)} req/s  ` +
    `p50 ${r.latencyMs.p50} ms  p99 ${r.latencyMs.p99} ms  [${codes}]` +
    (side.serverCpu === undefined
      ? ''
      : `  server ${side.serverCpu.cores} cores, ${side.serverCpu.microsecondsPerRequest} µs CPU/request`) +
    (r.errors + r.timeouts > 0 ? `  errors ${r.errors} timeouts ${r.timeouts}` : '')
  );
}

/** Throws unless every response had `status`: a benchmark of refusals would measure nothing. */
function expectOnly(side: Side, status: number): void {
  const others = Object.entries(side.result.statusCodes).filter(([code]) => Number(code) !== status);
  if (others.length > 0 || side.result.errors > 0 || side.result.timeouts > 0) {
    throw new Error(
      `${side.name}: expected only ${status}, got ${JSON.stringify(side.result.statusCodes)}, ` +
        `errors ${side.result.errors}, timeouts ${side.result.timeouts}`,
    );
  }
}

async function measure(
  name: string,
  server: { readonly info: { readonly url: string }; readonly pid: number },
  request: LoadRequest,
): Promise<Side> {
  const url = server.info.url;
  if (WARMUP_SECONDS > 0) await loadTest({ url, request, connections: CONNECTIONS, seconds: WARMUP_SECONDS });
  const cpuBefore = await processCpuSeconds(server.pid);
  const startedAt = performance.now();
  const result = await loadTest({ url, request, connections: CONNECTIONS, seconds: SECONDS });
  const wallSeconds = (performance.now() - startedAt) / 1000;
  const cpuAfter = await processCpuSeconds(server.pid);
  if (cpuBefore === undefined || cpuAfter === undefined || result.requests === 0) return { name, result };
  const cpuSeconds = cpuAfter - cpuBefore;
  return {
    name,
    result,
    serverCpu: {
      cores: Number((cpuSeconds / wallSeconds).toFixed(2)),
      microsecondsPerRequest: Number(((cpuSeconds * 1e6) / result.requests).toFixed(1)),
    },
  };
}

/** The 1, 5 and 15 minute load averages, rounded: how busy the shared machine was. */
function loadAverage(): number[] {
  return loadavg().map((value) => Number(value.toFixed(2)));
}

async function main(): Promise<void> {
  const loadAtStart = loadAverage();
  await mkdir(scratchRoot, { recursive: true });
  const scratch = await mkdtemp(join(scratchRoot, 'callback-'));
  const originDir = join(scratch, 'origin');
  await mkdir(originDir);
  const tinySha256 = await writeRandomFile(join(originDir, 'tiny.bin'), 1024, 'tiny.bin');
  const nginx = await startNginx({ root: originDir });
  const secret = generateStandardWebhooksSecret();
  const fileList = JSON.stringify({
    files: [
      { url: `${nginx.baseUrl}/tiny.bin`, name: 'tiny.bin', size: 1024, checksums: { sha256: tinySha256 } },
    ],
  });

  const bareScript = join(import.meta.dirname, 'lib', 'bareHonoServer.ts');
  const bare = await startChildServer<{ url: string }>(bareScript);
  const bareReading = await startChildServer<{ url: string }>(bareScript, { BENCH_READ_BODY: '1' });
  const service = await startChildServer<{ url: string }>(
    join(import.meta.dirname, 'lib', 'localServiceServer.ts'),
    {
      BENCH_SECRET: secret,
      BENCH_ORIGIN_PORT: String(nginx.port),
      BENCH_DATA_DIR: join(scratch, 'state'),
      BENCH_DOWNLOADS_DIR: join(scratch, 'downloads'),
    },
  );
  try {
    // Steady state: one delivery whose callback was accepted (and whose tiny file is fetched).
    const accepted = await registerDelivery(service.info.url, 'demo');
    const callbackPath = new URL(accepted.callbackUrl).pathname;
    const callback = signedCallback(secret, 'msg_bench_steady', fileList);
    const first = await sendCallback(`${service.info.url}${callbackPath}`, callback);
    if (first !== 202) throw new Error(`the first callback was answered ${first}, expected 202`);
    const settled = await waitUntilSettled(service.info.url, accepted.id);
    if (settled.status !== 'completed') throw new Error(`the steady-state delivery ended ${settled.status}`);

    const request: LoadRequest = {
      method: 'POST',
      path: callbackPath,
      headers: callback.headers,
      body: callback.body,
    };
    const bareSide = await measure('bare Hono hello-world', bare, request);
    const bareReadingSide = await measure('bare Hono reading the body', bareReading, request);
    const oursSide = await measure('service, duplicate callback (200)', service, request);
    expectOnly(bareSide, 200);
    expectOnly(bareReadingSide, 200);
    expectOnly(oursSide, 200);

    // First-time callbacks: N deliveries waiting, one fresh signed callback each.
    let firstTime: Side | undefined;
    if (FIRST_TIME > 0) {
      const pending: Array<{ path: string; headers: Record<string, string> }> = [];
      for (let i = 0; i < FIRST_TIME; i += 1) {
        const delivery = await registerDelivery(service.info.url, 'demo');
        pending.push({ path: new URL(delivery.callbackUrl).pathname, headers: {} });
      }
      // Signed after registering, so every timestamp is well inside the tolerance window.
      for (const [i, entry] of pending.entries()) {
        entry.headers = signedCallback(secret, `msg_bench_first_${i}`, fileList).headers;
      }
      let next = 0;
      const fresh: LoadRequest = {
        method: 'POST',
        path: pending[0]?.path ?? '/',
        body: fileList,
        setupRequest: (req) => {
          const entry = pending[next % pending.length];
          next += 1;
          return entry === undefined ? req : { ...req, path: entry.path, headers: entry.headers };
        },
      };
      firstTime = {
        name: 'service, first-time callback (202)',
        result: await loadTest({
          url: service.info.url,
          request: fresh,
          connections: CONNECTIONS,
          amount: FIRST_TIME,
        }),
      };
      expectOnly(firstTime, 202);
    }

    const ratio = Number((oursSide.result.requestsPerSecond / bareSide.result.requestsPerSecond).toFixed(3));
    const p99Ratio = Number(
      (oursSide.result.latencyMs.p99 / Math.max(bareSide.result.latencyMs.p99, 1)).toFixed(2),
    );
    const loadAtEnd = loadAverage();
    const out = (line = '') => process.stdout.write(`${line}\n`);
    out(
      `callback endpoint, ${CONNECTIONS} connections, ${SECONDS} s per side (after ${WARMUP_SECONDS} s warm-up)`,
    );
    out(describe(bareSide));
    out(describe(bareReadingSide));
    out(describe(oursSide));
    if (firstTime !== undefined) out(describe(firstTime));
    out(`load average ${loadAtStart.join(' ')} at start, ${loadAtEnd.join(' ')} at end`);
    out(
      `ratio ours/bare ${ratio} (target >= ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}); ` +
        `p99 ${oursSide.result.latencyMs.p99} ms vs ${bareSide.result.latencyMs.p99} ms`,
    );
    const path = await writeResults('callback', {
      description:
        'POST /callbacks/{id} of the local service (cap + Standard Webhooks verification + dedupe lookup) vs a bare Hono hello-world on @hono/node-server, same request bytes, each server in its own Node process, autocannon in the harness process, loopback.',
      loadAverage: { atStart: loadAtStart, atEnd: loadAtEnd },
      connections: CONNECTIONS,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      bodyBytes: Buffer.byteLength(fileList),
      bare: {
        ...bareSide.result,
        ...(bareSide.serverCpu === undefined ? {} : { serverCpu: bareSide.serverCpu }),
      },
      bareReadingBody: {
        ...bareReadingSide.result,
        ...(bareReadingSide.serverCpu === undefined ? {} : { serverCpu: bareReadingSide.serverCpu }),
      },
      ratioVsBareReadingBody: Number(
        (oursSide.result.requestsPerSecond / bareReadingSide.result.requestsPerSecond).toFixed(3),
      ),
      oursDuplicate: {
        ...oursSide.result,
        ...(oursSide.serverCpu === undefined ? {} : { serverCpu: oursSide.serverCpu }),
      },
      ...(firstTime === undefined ? {} : { oursFirstTime: { deliveries: FIRST_TIME, ...firstTime.result } }),
      ratio,
      p99Ratio,
      target: `requests per second ours/bare >= ${TARGET_RATIO} (steady state: duplicate callbacks)`,
      meetsTarget: ratio >= TARGET_RATIO,
    });
    out(`wrote ${path}`);
  } finally {
    await service.close();
    await bare.close();
    await bareReading.close();
    await nginx.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `callback benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
