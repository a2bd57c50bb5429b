import { randomInt } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { type FaultOrigin, startFaultOrigin } from '@downloader/fault-origin';
import { type RunningS3Server, startS3Server } from '@downloader/s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exitCodes.js';
import { type LogLine, startRunner } from '../helpers/runRunner.js';
import { objectSha256 } from '../helpers/s3Objects.js';

const MIB = 1024 * 1024;
const Bucket = 'test-bucket';
const PART = 5 * MIB;
const PARTS = 16;
/** Parts one process can have in flight at once: the S3 writer's default concurrency. */
const IN_FLIGHT = 4;

let s3: RunningS3Server;
let client: S3Client;
let origin: FaultOrigin;

beforeAll(async () => {
  s3 = await startS3Server();
  client = s3.client();
  origin = await startFaultOrigin({ files: { 'slow.bin': PARTS * PART - 4321 }, seed: 'interruptions' });
});

afterAll(async () => {
  client.destroy();
  await s3.close();
  await origin.close();
});

const acknowledgedParts = (key: string): number =>
  s3.requests.filter(
    (r) => r.operation === 'UploadPart' && r.path === `/${Bucket}/${key}` && r.status === 200,
  ).length;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, exited: Promise<unknown>): Promise<boolean> {
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (!condition()) {
    if (done) return false;
    await sleep(10);
  }
  return true;
}

/**
 * Runs the runner against a slow source, interrupting it `interruptions` times at a random
 * moment after at least one part of that run were acknowledged, then runs it to the end.
 */
async function interruptAndFinish(key: string, signal: NodeJS.Signals, interruptions: number) {
  // 10 MiB/s per response: one run takes a few seconds.
  const url = origin.url('slow.bin', [{ mode: 'throttle', bytesPerSecond: 10 * MIB }]);
  const args = ['--url', url, '--bucket', Bucket, '--key', key, '--endpoint', s3.endpoint];
  const more = ['--part-size', String(PART), '--connections', '2', '--progress-interval', '200'];
  const interruptedExits: Array<number | NodeJS.Signals> = [];
  const stopLines: LogLine[] = [];
  for (let i = 0; i < interruptions; i++) {
    const before = acknowledgedParts(key);
    const runner = startRunner([...args, ...more]);
    const reached = await waitUntil(() => acknowledgedParts(key) >= before + 1, runner.exited);
    if (!reached) break;
    await sleep(randomInt(0, 300));
    runner.child.kill(signal);
    interruptedExits.push(await runner.exited);
    stopLines.push(...runner.lines.filter((l) => l.event === 'failed'));
  }
  const last = startRunner([...args, ...more]);
  const code = await last.exited;
  return {
    interruptedExits,
    stopLines,
    code,
    done: last.lines.find((l) => l.event === 'done'),
    failed: JSON.stringify(last.lines.find((l) => l.event === 'failed')),
  };
}

describe('batch-runner interrupted during a multipart upload', () => {
  it('after SIGKILL at random points, a new process finishes the same upload byte for byte', async () => {
    // Act
    const outcome = await interruptAndFinish('killed.bin', 'SIGKILL', 3);

    // Assess
    expect(outcome.interruptedExits).toEqual(['SIGKILL', 'SIGKILL', 'SIGKILL']);
    expect(outcome.code, outcome.failed).toBe(ExitCode.Success);
    expect(await objectSha256(client, Bucket, 'killed.bin')).toBe(origin.info('slow.bin').sha256);
    expect(Number(outcome.done?.resumedBytes)).toBeGreaterThan(0);
    // Only parts in flight at a kill may be uploaded twice.
    expect(acknowledgedParts('killed.bin')).toBeLessThanOrEqual(PARTS + 3 * IN_FLIGHT);
    expect(
      s3.requests.filter(
        (r) => r.operation === 'CreateMultipartUpload' && r.path === `/${Bucket}/killed.bin`,
      ),
    ).toHaveLength(1);
  });

  it('after SIGTERM at random points, each stop exits 75 with state saved and the rerun finishes', async () => {
    // Act
    const outcome = await interruptAndFinish('terminated.bin', 'SIGTERM', 3);

    // Assess
    expect(outcome.interruptedExits).toEqual([ExitCode.Retryable, ExitCode.Retryable, ExitCode.Retryable]);
    expect(outcome.stopLines.map((l) => l.code)).toEqual(['INTERRUPTED', 'INTERRUPTED', 'INTERRUPTED']);
    expect(outcome.code, outcome.failed).toBe(ExitCode.Success);
    expect(await objectSha256(client, Bucket, 'terminated.bin')).toBe(origin.info('slow.bin').sha256);
    expect(Number(outcome.done?.resumedBytes)).toBeGreaterThan(0);
    expect(acknowledgedParts('terminated.bin')).toBeLessThanOrEqual(PARTS + 3 * IN_FLIGHT);
    expect(
      s3.requests.filter(
        (r) => r.operation === 'CreateMultipartUpload' && r.path === `/${Bucket}/terminated.bin`,
      ),
    ).toHaveLength(1);
  });
});
