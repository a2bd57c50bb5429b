/** Where the batch-runner CLI is: the large-file runner starts it exactly as the container would. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** `[node, <@downloader/batch-runner>/dist/cli.js]`, resolved from this package. */
export function defaultBatchRunnerCommand(): [string, string] {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@downloader/batch-runner/package.json');
  return [process.execPath, join(dirname(packageJson), 'dist', 'cli.js')];
}
