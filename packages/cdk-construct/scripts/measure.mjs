#!/usr/bin/env node
// Measures of the AWS target, printed as JSON: Lambda bundle sizes (raw and gzip), module import
// time of each handler in a fresh Node process (with the AWS SDK resolvable, as in the Lambda
// runtime), synth time of apps/downloader-stack and the number of IAM statements with wildcard
// actions in its template. Run after `pnpm nx run @downloader/cdk-construct:build`.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const here = new URL('..', import.meta.url).pathname;
const lambdaDir = join(here, 'dist', 'lambda');
const work = mkdtempSync(join(tmpdir(), 'measure-'));
// The handlers leave @aws-sdk/* to the runtime; the service's copy stands in for it here.
symlinkSync(join(here, '..', 'service', 'node_modules'), join(work, 'node_modules'));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const folderBytes = (dir) => readdirSync(dir).reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
const timeImports = (files) => {
  const times = [];
  for (let run = 0; run < 5; run += 1) {
    const script = `const t = performance.now(); for (const f of ${JSON.stringify(files)}) await import(f); console.log(performance.now() - t);`;
    times.push(
      Number(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString().trim()),
    );
  }
  return +median(times).toFixed(1);
};
const bundles = {};
for (const name of readdirSync(lambdaDir).sort()) {
  const dir = join(lambdaDir, name);
  const copy = join(work, name);
  cpSync(dir, copy, { recursive: true });
  const entry = join(copy, 'index.mjs');
  // What every Task's first invocation loads besides the handler: the store and object store chunks.
  const firstUse = readdirSync(copy)
    .filter((file) => /^create(Store|Objects)-/.test(file))
    .map((file) => join(copy, file));
  bundles[name] = {
    indexKib: +(statSync(join(dir, 'index.mjs')).size / 1024).toFixed(1),
    folderKib: +(folderBytes(dir) / 1024).toFixed(1),
    gzipIndexKib: +(gzipSync(readFileSync(join(dir, 'index.mjs'))).length / 1024).toFixed(1),
    importMsMedian: timeImports([entry]),
    importWithStoreClientsMsMedian: timeImports([entry, ...firstUse]),
  };
}

const appDir = join(here, '..', '..', 'apps', 'downloader-stack');
const outdir = join(work, 'cdk.out');
const started = performance.now();
execFileSync(process.execPath, ['--import', 'tsx', 'src/aws/app.ts'], {
  cwd: appDir,
  env: { PATH: process.env.PATH, HOME: tmpdir(), CDK_OUTDIR: outdir },
});
const synthSeconds = +((performance.now() - started) / 1000).toFixed(1);
const template = JSON.parse(readFileSync(join(outdir, 'Downloader.template.json'), 'utf8'));
let statements = 0;
let wildcardActions = 0;
for (const resource of Object.values(template.Resources)) {
  if (resource.Type !== 'AWS::IAM::Policy') continue;
  for (const statement of resource.Properties.PolicyDocument.Statement) {
    statements += 1;
    const actions = [statement.Action].flat();
    if (actions.some((action) => action.includes('*'))) wildcardActions += 1;
  }
}
rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify({ bundles, synthSeconds, iam: { statements, wildcardActions } }, null, 2));
