/**
 * `pnpm demo`: the local service and the mock provider on loopback. Registers a delivery, has
 * the provider send a signed callback, follows the download, verifies every file's sha256 and
 * prints a summary. Exits 0 only when every file is verified.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateStandardWebhooksSecret } from '@downloader/callback-core';
import { startMockProvider } from '@downloader/mock-provider';
import { loadConfig, silentLogger, startLocalService } from '@downloader/service';
import { filesWithStatus, followDelivery } from './followDelivery.js';
import { summaryTable } from './summaryTable.js';
import { verifyDelivery } from './verifyDelivery.js';

const MIB = 1024 * 1024;

async function main(): Promise<number> {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const provider = await startMockProvider({
    smallFiles: 24,
    smallFileBytes: 256 * 1024,
    largeFileBytes: 48 * MIB,
  });
  const secret = generateStandardWebhooksSecret();
  // `pnpm demo` at the repo root runs this in the app folder; put the files where the user typed it.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const downloadsDir = process.env.DOWNLOADER_DOWNLOADS_DIR ?? join(cwd, 'downloads');
  const config = loadConfig({
    env: {
      ...process.env,
      DOWNLOADER_DEMO_SECRET: secret,
      DOWNLOADER_DEMO_PROVIDER_PORT: String(provider.port),
      DOWNLOADER_DATA_DIR: process.env.DOWNLOADER_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'downloader-demo-')),
      DOWNLOADER_DOWNLOADS_DIR: downloadsDir,
      // Any free port: the demo must not collide with a `pnpm start` already running.
      PORT: process.env.DEMO_PORT ?? '0',
      DOWNLOADER_LARGE_FILE_THRESHOLD: String(16 * MIB),
    },
    // Self-contained: a downloader.config.json in the working directory is not read.
    config: {},
  });
  const service = await startLocalService(config, { logger: silentLogger });
  try {
    out(`downloader demo: service ${service.url} (dashboard ${service.url}/), provider ${provider.baseUrl}`);
    out(
      `provider offers ${provider.files.length} files: ${provider.files.filter((f) => f.kind === 'small').length} small, ` +
        `1 large (${(provider.files.find((f) => f.kind === 'large')?.size ?? 0) / MIB} MiB, via batch-runner), 1 with injected faults`,
    );

    const registered = await fetch(`${service.url}/deliveries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `demo-${Date.now()}` },
      body: JSON.stringify({ provider: 'demo', label: 'demo delivery' }),
    });
    const { id, callbackUrl } = (await registered.json()) as { id: string; callbackUrl: string };
    out(`registered delivery ${id}`);
    out(`  callback URL ${callbackUrl}`);

    const callback = await provider.sendCallback(callbackUrl, secret);
    out(`provider sent a signed callback → HTTP ${callback.status}`);
    if (callback.status !== 202) {
      out(`  the service refused it: ${JSON.stringify(callback.body)}`);
      return 1;
    }

    const finished = await followDelivery(service.url, id);
    const failed = await filesWithStatus(service.url, id, 'failed');
    for (const file of failed) out(`  ${file.name}: ${file.error?.code}: ${file.error?.message}`);

    const verdicts = await verifyDelivery(join(config.downloadsDir, id), provider.files);
    out();
    out(summaryTable(verdicts));
    out();
    const faulty = provider.files.find((file) => file.kind === 'faulty');
    if (faulty !== undefined) {
      out(
        `faulty file ${faulty.name}: the provider answered ${provider.getCount(faulty.name)} GETs for it ` +
          '(one 503, one cut mid-body); it was retried and resumed',
      );
    }
    const verified = verdicts.filter((v) => v.ok).length;
    out(
      `${verified}/${verdicts.length} files verified (sha256), delivery ${finished.status}; ` +
        `files in ${relative(cwd, join(config.downloadsDir, id)) || '.'}`,
    );
    return verified === verdicts.length && finished.status === 'completed' ? 0 : 1;
  } finally {
    await service.close();
    await provider.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
