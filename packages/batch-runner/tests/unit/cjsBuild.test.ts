import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkgRoot = resolve(import.meta.dirname, '../..');

describe('the CommonJS build (dist/index.cjs)', () => {
  it("runCli(['--version']) prints the package version when loaded with require()", () => {
    const { version } = JSON.parse(readFileSync(join(pkgRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    const script = `require(${JSON.stringify(join(pkgRoot, 'dist/index.cjs'))}).runCli(['--version'], process.env).then((code) => { process.exitCode = code; })`;

    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });

    expect(out.trim()).toBe(version);
  });
});
