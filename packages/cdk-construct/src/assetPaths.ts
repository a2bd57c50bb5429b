/** Where the pre-bundled Lambda handlers and the batch-runner image recipe are on disk. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CallbackDownloaderError } from './errors.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The folder holding `lambda/` and `docker/`: the module's own folder once published (the build
 * writes them into `dist/` next to `index.js`), or `../dist` when the sources run under a test
 * runner in the workspace.
 */
function assetRoot(): string {
  // Infrastructure tests point this at stub bundles so they need no service build.
  const override = process.env.DOWNLOADER_CDK_ASSET_ROOT;
  const candidates =
    override === undefined || override === '' ? [here, join(here, '..', 'dist')] : [override];
  for (const candidate of candidates) {
    if (existsSync(join(candidate, 'lambda'))) return candidate;
  }
  throw new CallbackDownloaderError(
    'MISSING_ASSET',
    `CallbackDownloader: the pre-bundled Lambda handlers are missing next to ${here}; ` +
      'build @downloader/cdk-construct first (pnpm nx run @downloader/cdk-construct:build).',
  );
}

/** Folder of one pre-bundled Lambda handler (holds `index.mjs`). */
export function lambdaAssetPath(name: string): string {
  const path = join(assetRoot(), 'lambda', name);
  if (!existsSync(join(path, 'index.mjs'))) {
    throw new CallbackDownloaderError('MISSING_ASSET', `CallbackDownloader: no bundled handler at ${path}.`);
  }
  return path;
}

/** Docker build context of the batch-runner image (Dockerfile + bundled entrypoint). */
export function batchRunnerContextPath(): string {
  return join(assetRoot(), 'docker', 'batch-runner');
}
