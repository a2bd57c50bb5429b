/**
 * Signature verification benchmark: @downloader/callback-core's `verifySignature` (Standard Webhooks
 * v1) against the `standardwebhooks` package's own `Webhook#verify`, same signed requests, same process,
 * alternating rounds. Prints verifications per second and the ratio (ours / peer; higher is better)
 * and writes tools/bench/results/verify.json. Target ratio >= 1.0 for 1 KiB and 64 KiB bodies.
 *
 *   pnpm nx run @downloader/callback-core:build && pnpm tsx tools/bench/src/verifyBench.ts
 *   BENCH_ROUNDS=7 BENCH_ROUND_MS=1500 pnpm tsx tools/bench/src/verifyBench.ts
 */
import { randomBytes } from 'node:crypto';
import { type StandardWebhooksSchemeConfig, verifySignature } from '@downloader/callback-core';
import { Webhook } from 'standardwebhooks';
import { writeResults } from './lib/writeResults.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1000);
const TARGET_RATIO = 1.0;
const KiB = 1024;

interface Contender {
  readonly name: string;
  /** One verification; must resolve true when the request verified. */
  readonly verifyOnce: () => boolean | Promise<boolean>;
}

interface CaseResult {
  readonly body: string;
  readonly bodyBytes: number;
  readonly oursPerSecond: number;
  readonly peerPerSecond: number;
  readonly ratio: number;
  readonly target: number;
  readonly meetsTarget: boolean;
  readonly oursRounds: number[];
  readonly peerRounds: number[];
}

/** A JSON-looking body of exactly `size` bytes (ASCII, so the peer's string round-trip is lossless). */
function bodyOfSize(size: number): Buffer {
  const filler = randomBytes(size)
    .toString('base64')
    .slice(0, Math.max(0, size - 11));
  const body = Buffer.from(`{"data":"${filler}"}`);
  return body.subarray(0, size);
}

/** Runs `verifyOnce` for about `ms` milliseconds; returns verifications per second. */
async function round(contender: Contender, ms: number): Promise<number> {
  const deadline = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  const started = process.hrtime.bigint();
  let count = 0;
  let now = started;
  while (now < deadline) {
    for (let i = 0; i < 64; i += 1) {
      if (!(await contender.verifyOnce()))
        throw new Error(`${contender.name} failed to verify a valid request`);
    }
    count += 64;
    now = process.hrtime.bigint();
  }
  return count / (Number(now - started) / 1e9);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function runCase(label: string, size: number): Promise<CaseResult> {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const body = bodyOfSize(size);
  const reference = new Webhook(secret);
  // Both verifiers see the same request, signed by the reference library itself.
  const timestamp = new Date(Math.floor(Date.now() / 1000) * 1000);
  const headers = {
    'webhook-id': 'msg_bench_1',
    'webhook-timestamp': String(timestamp.getTime() / 1000),
    'webhook-signature': reference.sign('msg_bench_1', timestamp, body),
  };
  const config: StandardWebhooksSchemeConfig = { scheme: 'standard-webhooks', secrets: [{ value: secret }] };

  const ours: Contender = {
    name: '@downloader/callback-core verifySignature',
    verifyOnce: async () => (await verifySignature(config, { headers, body })).ok,
  };
  const peer: Contender = {
    name: 'standardwebhooks Webhook#verify',
    // jsonParse off: our verifier does not parse the body either, so both do the same work.
    verifyOnce: () => {
      reference.verify(body, headers, { jsonParse: false });
      return true;
    },
  };

  // Warm-up: let both be optimised before anything is measured.
  await round(ours, 200);
  await round(peer, 200);
  const oursRounds: number[] = [];
  const peerRounds: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    // Alternate the order so drift on a shared machine hits both sides alike.
    if (i % 2 === 0) {
      oursRounds.push(await round(ours, ROUND_MS));
      peerRounds.push(await round(peer, ROUND_MS));
    } else {
      peerRounds.push(await round(peer, ROUND_MS));
      oursRounds.push(await round(ours, ROUND_MS));
    }
  }
  const oursPerSecond = median(oursRounds);
  const peerPerSecond = median(peerRounds);
  const ratio = oursPerSecond / peerPerSecond;
  return {
    body: label,
    bodyBytes: body.length,
    oursPerSecond: Math.round(oursPerSecond),
    peerPerSecond: Math.round(peerPerSecond),
    ratio: Number(ratio.toFixed(2)),
    target: TARGET_RATIO,
    meetsTarget: ratio >= TARGET_RATIO,
    oursRounds: oursRounds.map(Math.round),
    peerRounds: peerRounds.map(Math.round),
  };
}

async function main(): Promise<void> {
  const cases: CaseResult[] = [];
  for (const [label, size] of [
    ['1 KiB', KiB],
    ['64 KiB', 64 * KiB],
  ] as const) {
    const result = await runCase(label, size);
    cases.push(result);
    console.log(
      `${label.padEnd(7)} ours ${String(result.oursPerSecond).padStart(8)}/s   standardwebhooks ${String(result.peerPerSecond).padStart(8)}/s   ratio ${result.ratio.toFixed(2)} (target >= ${TARGET_RATIO.toFixed(1)}) ${result.meetsTarget ? 'OK' : 'MISSED'}`,
    );
  }
  const path = await writeResults('verify', {
    description:
      'Standard Webhooks v1 verifications per second: @downloader/callback-core verifySignature vs the standardwebhooks package Webhook#verify (jsonParse off), same signed request, same process; median of alternating rounds; ratio = ours / peer, higher is better.',
    rounds: ROUNDS,
    roundMs: ROUND_MS,
    peer: 'standardwebhooks@1.1.1',
    cases,
  });
  console.log(`results written to ${path}`);
  if (cases.some((c) => !c.meetsTarget)) process.exitCode = 1;
}

await main();
