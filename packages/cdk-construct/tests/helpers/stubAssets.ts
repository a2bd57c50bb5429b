/**
 * Stub handler bundles and image context for infrastructure tests: the template does not depend
 * on the handler code (asset hashes are masked), so these tests need no service build.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TASK_HANDLERS } from '../../src/workflow/taskHandlers.js';

/** Creates the stub tree, points the construct at it, and returns a cleanup function. */
export function useStubAssets(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'cdk-construct-assets-'));
  for (const bundle of ['api', 'reconcile', ...TASK_HANDLERS.map((spec) => spec.bundle)]) {
    mkdirSync(join(root, 'lambda', bundle), { recursive: true });
    writeFileSync(
      join(root, 'lambda', bundle, 'index.mjs'),
      `export const handler = async () => '${bundle}';\n`,
    );
  }
  mkdirSync(join(root, 'docker', 'batch-runner'), { recursive: true });
  writeFileSync(join(root, 'docker', 'batch-runner', 'Dockerfile'), 'FROM scratch\n');
  const previous = process.env.DOWNLOADER_CDK_ASSET_ROOT;
  process.env.DOWNLOADER_CDK_ASSET_ROOT = root;
  return () => {
    if (previous === undefined) delete process.env.DOWNLOADER_CDK_ASSET_ROOT;
    else process.env.DOWNLOADER_CDK_ASSET_ROOT = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
