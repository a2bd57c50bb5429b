// The built service as its own process, as `pnpm start` runs it, with a `bulk` provider whose caps
// fit an inline list of 20,000+ files (the demo profile keeps 1 MiB / 10,000 files). Configured by
// environment: BULK_SECRET (whsec_…), BULK_ORIGIN_PORT (the one loopback port its files may use),
// DOWNLOADER_DATA_DIR / DOWNLOADER_DOWNLOADS_DIR, BULK_MAX_CONCURRENCY. Prints {"url": …} once it
// listens; stops on SIGTERM or when its stdin closes (the test process is gone).
import { loadConfig, silentLogger, startLocalService } from '@downloader/service';

const config = loadConfig({
  env: {
    BULK_SECRET: process.env.BULK_SECRET ?? '',
    DOWNLOADER_DATA_DIR: process.env.DOWNLOADER_DATA_DIR ?? '',
    DOWNLOADER_DOWNLOADS_DIR: process.env.DOWNLOADER_DOWNLOADS_DIR ?? '',
    DOWNLOADER_DEMO_PROVIDER: 'false',
    PORT: '0',
  },
  config: {
    workflow: { maxConcurrency: Number(process.env.BULK_MAX_CONCURRENCY ?? 16) },
    providers: [
      {
        id: 'bulk',
        signature: { scheme: 'standard-webhooks', secrets: [{ id: 'k1', value: { env: 'BULK_SECRET' } }] },
        maxBodyBytes: 16 * 1024 * 1024,
        files: { source: 'inline' },
        limits: { maxFiles: 100_000 },
        urlPolicy: {
          allowHttp: true,
          loopbackException: { host: '127.0.0.1', port: Number(process.env.BULK_ORIGIN_PORT) },
        },
      },
    ],
  },
});
const service = await startLocalService(config, { logger: silentLogger });
process.stdout.write(`${JSON.stringify({ url: service.url })}\n`);
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
process.stdin.resume();
