#!/usr/bin/env node
// Runs every project's test target through nx (build first, dependency order, cache), streams
// the output, and closes with one plain line summing every vitest summary:
// "N passed, N failed" (", N skipped" when any) — the line CI logs are read for.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const nxArgs = [
  'nx',
  'run-many',
  '-t',
  'test',
  '--parallel=1',
  '--outputStyle=stream',
  ...process.argv.slice(2),
];

const totals = { passed: 0, failed: 0, skipped: 0 };
let pending = '';

function countSummary(rawLine) {
  // nx may force colour on its tasks; strip ANSI escapes before reading the numbers.
  const line = stripVTControlCharacters(rawLine);
  // vitest: " Tests  2 failed | 40 passed | 1 skipped (43)", prefixed by nx with the project name.
  const match = /\bTests\s+(.+?)\s+\(\d+\)\s*$/.exec(line);
  if (!match?.[1]) return;
  for (const part of match[1].split('|')) {
    const [, count, kind] = /(\d+)\s+(passed|failed|skipped|todo)/.exec(part) ?? [];
    if (kind === 'passed' || kind === 'failed') totals[kind] += Number(count);
    else if (kind === 'skipped' || kind === 'todo') totals.skipped += Number(count);
  }
}

function scan(chunk, sink) {
  sink.write(chunk);
  pending += chunk.toString();
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) countSummary(line);
}

// nx from the workspace's own node_modules: pnpm need not be on PATH (npm test works too).
const child = spawn(join(root, 'node_modules', '.bin', 'nx'), nxArgs.slice(1), {
  cwd: root,
  env: { ...process.env, NO_COLOR: '1' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
child.stdout.on('data', (chunk) => scan(chunk, process.stdout));
child.stderr.on('data', (chunk) => scan(chunk, process.stderr));
child.on('exit', (code, signal) => {
  countSummary(pending);
  const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
  console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
  process.exitCode = code ?? (signal ? 1 : 0);
  if (code === 0 && totals.failed > 0) process.exitCode = 1;
});
