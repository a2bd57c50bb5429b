#!/usr/bin/env node
// Makes a fresh clone runnable with nothing but Node >= 20.19 and npm:
// installs pnpm's workspace dependencies (frozen lockfile) when they are missing or stale,
// and the Debian packages the tests need when running as root on Debian/Ubuntu.
// Every root script (`start`, `demo`, `test`, benchmarks) calls this first, so the README's
// two commands work on a new machine.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PNPM_VERSION = '10.34.9';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function hasCommand(command) {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

function pnpmCommand() {
  if (hasCommand('pnpm')) return ['pnpm', []];
  // npx fetches the pinned pnpm once into npm's cache; corepack is not used because its
  // signature check fails on some machines.
  return ['npx', ['-y', `pnpm@${PNPM_VERSION}`]];
}

function dependenciesAreCurrent() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  if (!existsSync(marker)) return false;
  return statSync(marker).mtimeMs >= statSync(join(root, 'pnpm-lock.yaml')).mtimeMs;
}

if (!dependenciesAreCurrent()) {
  const [command, prefix] = pnpmCommand();
  console.error('bootstrap: installing workspace dependencies (frozen lockfile)…');
  const status = run(command, [...prefix, 'install', '--frozen-lockfile']);
  if (status !== 0) process.exit(status);
}

if (process.platform === 'linux' && !process.argv.includes('--no-system')) {
  const status = run('bash', [join(root, 'tools', 'scripts', 'install-system-deps.sh')]);
  if (status !== 0) {
    console.error('bootstrap: some system packages are missing; the tests that need them will fail.');
    process.exit(status);
  }
}
