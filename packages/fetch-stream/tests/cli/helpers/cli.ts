import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const pkgRoot = resolve(import.meta.dirname, '../../..');

/** The built CLI the tests run (`dist/cli.js`). */
export const cliPath = join(pkgRoot, 'dist/cli.js');

/** Builds the package when `dist/cli.js` is missing (a fresh checkout). */
export function ensureCliBuilt(): void {
  if (existsSync(cliPath)) return;
  execFileSync('pnpm', ['nx', 'run', '@downloader/fetch-stream:build'], { cwd: pkgRoot, stdio: 'ignore' });
}
