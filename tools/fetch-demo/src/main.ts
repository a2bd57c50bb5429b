/**
 * `npm start` until the local service lands: starts a loopback origin that misbehaves on purpose
 * (connections reset part-way, a 503 with Retry-After, a paced body), then runs the real
 * `fetch-stream` CLI against it with 4 connections and an expected sha256. The CLI retries,
 * resumes each interrupted range where it stopped, verifies the bytes and exits 0 only for a
 * complete, verified file in ./downloads/fetch-demo/. Its exit code is this script's.
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startFaultOrigin } from '@downloader/fault-origin';

const MiB = 2 ** 20;
const repoRoot = join(import.meta.dirname, '..', '..', '..');
const cli = join(repoRoot, 'packages', 'fetch-stream', 'dist', 'cli.js');
const outputDir = join(process.cwd(), 'downloads', 'fetch-demo');
const output = join(outputDir, 'scene-042.tif');

async function main(): Promise<number> {
  const origin = await startFaultOrigin({ files: { 'exports/scene-042.tif': 64 * MiB }, seed: 'demo' });
  try {
    const { sha256, size } = origin.info('exports/scene-042.tif');
    const url = origin.url('exports/scene-042.tif', [
      { mode: 'throttle', bytesPerSecond: 6 * MiB },
      { mode: 'reset', afterBytes: 3 * MiB, times: 3 },
      { mode: 'status', status: 503, retryAfter: 1, times: 1 },
    ]);
    await mkdir(outputDir, { recursive: true });
    console.log(`origin: ${origin.baseUrl} serving ${size / MiB} MiB, paced at 6 MiB/s per connection,`);
    console.log('        resetting 3 connections part-way and answering one 503 (Retry-After: 1)');
    console.log(`$ fetch-stream ${url} -o ${output} -c 4 --sha256 ${sha256.slice(0, 12)}…\n`);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [cli, url, '-o', output, '-c', '4', '--sha256', sha256], {
        stdio: 'inherit',
      });
      child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 130 : 1)));
    });
    const { requests, bytesServed } = origin.stats;
    console.log(
      `\norigin saw ${requests} requests and served ${(bytesServed / MiB).toFixed(1)} MiB for a ${size / MiB} MiB file.`,
    );
    console.log(code === 0 ? `verified: ${output}` : `fetch-stream exited with ${code}`);
    return code;
  } finally {
    await origin.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
