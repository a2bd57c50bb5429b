/**
 * The service side of the benchmarks: `startLocalService` with the built-in demo provider, run as
 * a child process by `startChildServer`; prints `READY {"url":…}`.
 *
 * Environment: BENCH_SECRET (the demo provider's `whsec_…` secret), BENCH_ORIGIN_PORT (the one
 * loopback port its file URLs may use: the demo profile's loopback exception), BENCH_DATA_DIR,
 * BENCH_DOWNLOADS_DIR, BENCH_MAX_CONCURRENCY (files at a time per delivery).
 */
import { loadConfig, silentLogger, startLocalService } from '@downloader/service';
import { READY_PREFIX } from './startChildServer.js';
import { stopWithParent } from './stopWithParent.js';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} must be set`);
  return value;
}

const config = loadConfig({
  env: {
    DOWNLOADER_DEMO_SECRET: required('BENCH_SECRET'),
    DOWNLOADER_DEMO_PROVIDER_PORT: required('BENCH_ORIGIN_PORT'),
    DOWNLOADER_DATA_DIR: required('BENCH_DATA_DIR'),
    DOWNLOADER_DOWNLOADS_DIR: required('BENCH_DOWNLOADS_DIR'),
    DOWNLOADER_MAX_CONCURRENCY: process.env.BENCH_MAX_CONCURRENCY ?? '4',
    PORT: '0',
  },
  // A downloader.config.json in the working directory must not change what is measured.
  config: {},
});
// Silent: per-request log lines would measure the terminal, not the service.
const service = await startLocalService(config, { logger: silentLogger });
process.stdout.write(`${READY_PREFIX}${JSON.stringify({ url: service.url })}\n`);
stopWithParent(() => service.close());
