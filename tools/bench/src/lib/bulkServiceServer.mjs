// The service side of the many-small-files benchmark, run by plain `node` on the built package (no
// tsx loader: its memory is what a user's service uses). `startLocalService` with a `bulk` provider
// whose caps fit an inline list of 100,000 files (64 MiB body, 1,000,000 files); prints
// `READY {"url":…}`; stops on SIGTERM or when its stdin ends (the harness is gone).
//
// Environment: BENCH_SECRET (whsec_…), BENCH_ORIGIN_PORT (the one loopback port its file URLs may
// use), BENCH_DATA_DIR, BENCH_DOWNLOADS_DIR, BENCH_MAX_CONCURRENCY (files at a time per delivery).
import { loadConfig, silentLogger, startLocalService } from '@downloader/service';

function required(name) {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} must be set`);
  return value;
}

const config = loadConfig({
  env: {
    BENCH_SECRET: required('BENCH_SECRET'),
    DOWNLOADER_DATA_DIR: required('BENCH_DATA_DIR'),
    DOWNLOADER_DOWNLOADS_DIR: required('BENCH_DOWNLOADS_DIR'),
    DOWNLOADER_MAX_CONCURRENCY: process.env.BENCH_MAX_CONCURRENCY ?? '16',
    DOWNLOADER_DEMO_PROVIDER: 'false',
    PORT: '0',
  },
  // A downloader.config.json in the working directory must not change what is measured.
  config: {
    providers: [
      {
        id: 'bulk',
        signature: {
          scheme: 'standard-webhooks',
          secrets: [{ id: 'bench', value: { env: 'BENCH_SECRET' } }],
        },
        maxBodyBytes: 64 * 1024 * 1024,
        files: { source: 'inline' },
        limits: { maxFiles: 1_000_000 },
        urlPolicy: { loopbackException: { host: '127.0.0.1', port: Number(required('BENCH_ORIGIN_PORT')) } },
      },
    ],
  },
});
const service = await startLocalService(config, { logger: silentLogger });
process.stdout.write(`READY ${JSON.stringify({ url: service.url })}\n`);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  service.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
