/**
 * Where the large-file runner is: this package's guarded entry, which runs batch-runner's CLI
 * exactly as the container would, plus the provider's URL policy checked on every connect.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** `[node, <@downloader/service>/dist/guardedBatchRunner.js]`, resolved from this package. */
export function defaultBatchRunnerCommand(): [string, string] {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@downloader/service/package.json');
  return [process.execPath, join(dirname(packageJson), 'dist', 'guardedBatchRunner.js')];
}
