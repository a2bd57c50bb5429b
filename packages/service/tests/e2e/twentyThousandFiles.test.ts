/**
 * 20,000 files through the local service over HTTP, as a user runs it: the built service in its
 * own process (loadConfig + startLocalService), files served by the fault origin on loopback, a
 * signed callback with the inline list and every file's sha256. Every file is verified on disk,
 * `_delivery.json` lists all of them, and the service process's peak RSS (VmHWM, Linux) is
 * reported and stays below 256 MiB.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generateStandardWebhooksSecret } from '@downloader/callback-core';
import { type FaultOrigin, startFaultOrigin } from '@downloader/fault-origin';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/tempDir.js';

const FILES = 20_000;
const RSS_LIMIT_MIB = 256;
const name = (i: number) =>
  `part-${String(Math.floor(i / 1000)).padStart(2, '0')}/f${String(i).padStart(5, '0')}.dat`;

let origin: FaultOrigin;
let dir: Awaited<ReturnType<typeof makeTempDir>>;
let service: ChildProcess;
let url: string;
const secret = generateStandardWebhooksSecret();

beforeAll(async () => {
  const sizes: Record<string, number> = {};
  for (let i = 0; i < FILES; i += 1) sizes[name(i)] = 32 + (i % 97);
  origin = await startFaultOrigin({ files: sizes, seed: 'twenty-thousand' });
  dir = await makeTempDir('e2e-20k-');
  service = spawn(process.execPath, [join(import.meta.dirname, 'helpers', 'bulkServiceProcess.mjs')], {
    env: {
      ...process.env,
      BULK_SECRET: secret,
      BULK_ORIGIN_PORT: String(origin.port),
      BULK_MAX_CONCURRENCY: '16',
      DOWNLOADER_DATA_DIR: join(dir.path, 'state'),
      DOWNLOADER_DOWNLOADS_DIR: join(dir.path, 'downloads'),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  service.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // A service that dies mid-run says why in the test output.
  service.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM')
      process.stderr.write(`service exited ${code ?? signal}: ${stderr}\n`);
  });
  url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: service.stdout as NodeJS.ReadableStream }).once('line', (line) =>
      resolve((JSON.parse(line) as { url: string }).url),
    );
    service.once('exit', (code) => reject(new Error(`the service exited with ${code}: ${stderr}`)));
  });
}, 60_000);

afterAll(async () => {
  if (service !== undefined && service.exitCode === null) {
    const exited = once(service, 'exit');
    service.kill('SIGTERM');
    await exited;
  }
  await origin?.close();
  await dir?.remove();
});

/** Peak resident set size of a process so far, in MiB (`VmHWM` of /proc/<pid>/status). */
async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1]) / 1024;
}

interface DeliveryAnswer {
  readonly status: string;
  readonly counts: { readonly files: number; readonly completed: number; readonly failed: number };
}

describe('a delivery of 20,000 files over HTTP', () => {
  it('verifies every file, lists all of them in _delivery.json, and keeps the service below 256 MiB', async () => {
    // Prepare: register, then the provider's signed callback with the whole list inline.
    const registered = await fetch(`${url}/deliveries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'bulk' }),
    });
    expect(registered.status).toBe(201);
    const { id, callbackUrl } = (await registered.json()) as { id: string; callbackUrl: string };
    const files = Array.from({ length: FILES }, (_, i) => ({
      url: origin.url(name(i)),
      name: name(i),
      size: origin.info(name(i)).size,
      checksums: { sha256: origin.info(name(i)).sha256 },
    }));
    const body = JSON.stringify({ files });
    const msgId = 'msg_twenty_thousand';
    const timestamp = new Date();

    // Act
    const accepted = await fetch(callbackUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': msgId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign(msgId, timestamp, body),
      },
      body,
    });
    expect(accepted.status).toBe(202);
    let delivery: DeliveryAnswer;
    for (;;) {
      delivery = (await (await fetch(`${url}/deliveries/${id}`)).json()) as DeliveryAnswer;
      if (!['awaiting_callback', 'resolving', 'downloading'].includes(delivery.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const rss = await peakRssMiB(service.pid ?? 0);
    process.stdout.write(`20,000-file delivery: service peak RSS ${rss.toFixed(1)} MiB\n`);

    // Assess: the delivery, every file's bytes, the report, the memory.
    expect({ status: delivery.status, counts: delivery.counts }).toMatchObject({
      status: 'completed',
      counts: { files: FILES, completed: FILES, failed: 0 },
    });
    const folder = join(dir.path, 'downloads', id);
    const wrong: string[] = [];
    for (const file of files) {
      const bytes = await readFile(join(folder, file.name)).catch(() => Buffer.alloc(0));
      if (createHash('sha256').update(bytes).digest('hex') !== file.checksums.sha256) wrong.push(file.name);
    }
    expect(wrong).toEqual([]);
    const report = JSON.parse(await readFile(join(folder, '_delivery.json'), 'utf8')) as {
      status: string;
      files: { name: string; sha256: string; outcome: string }[];
    };
    expect(report.status).toBe('completed');
    expect(report.files.map((file) => [file.name, file.sha256, file.outcome])).toEqual(
      files.map((file) => [file.name, file.checksums.sha256, 'completed']),
    );
    expect(rss).toBeLessThan(RSS_LIMIT_MIB);
  }, 180_000);
});
