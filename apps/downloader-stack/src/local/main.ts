/**
 * `pnpm start`: the local service on 127.0.0.1:8080 (`PORT`), zero config. Reads
 * `downloader.config.json` when present; every setting can be overridden by environment.
 */
import { ConfigError, loadConfig, startLocalService } from '@downloader/service';
import { banner } from './banner.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    // `pnpm start` at the repo root runs this in the app folder; relative paths stay where the user typed it.
    config = loadConfig({ cwd: process.env.INIT_CWD ?? process.cwd() });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const service = await startLocalService(config);
  process.stdout.write(
    `${banner(service.url, { demoSecretGenerated: config.demoProvider?.secretGenerated ?? false })}\n`,
  );
  if (service.callbackServer !== undefined) {
    process.stdout.write(`  callbacks only: ${service.callbackServer.url}/callbacks/{id}\n\n`);
  }
  if (service.runtime.recovered.length > 0) {
    process.stdout.write(
      `  resumed ${service.runtime.recovered.length} unfinished deliveries from the last run\n\n`,
    );
  }
  const stop = (signal: string) => {
    process.stdout.write(`\n  ${signal}: stopping (unfinished deliveries resume on the next start)\n`);
    void service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  if (code === 'EADDRINUSE') {
    process.stderr.write('The port is in use: set PORT to another one (e.g. PORT=8090 pnpm start).\n');
  } else if (code === 'STATE_DB_IN_USE') {
    // Another service owns this data folder: its message says which file and what to do.
    process.stderr.write(`${(error as Error).message}\n`);
  } else {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
