/**
 * `npm install @downloader/cdk-construct` works for other teams: the packed tarball, installed
 * with npm into a fresh app outside the workspace, synthesizes a stack (ESM and CommonJS), with
 * the pre-bundled handlers and the image recipe staged from the installed package. Offline: the
 * CDK libraries are installed from this workspace's copies.
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

const run = promisify(execFile);
const PACKAGE_ROOT = join(import.meta.dirname, '..', '..');
let work: string;
let app: string;

beforeAll(async () => {
  // Prepare: pack the built package, make a consumer app, install offline.
  work = mkdtempSync(join(tmpdir(), 'cdk-construct-consumer-'));
  await run('pnpm', ['pack', '--pack-destination', work], { cwd: PACKAGE_ROOT });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  app = join(work, 'app');
  await run('mkdir', [app]);
  const local = (name: string) => `file:${realpathSync(join(PACKAGE_ROOT, 'node_modules', name))}`;
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: {
        '@downloader/cdk-construct': `file:${join(work, tarball ?? 'missing.tgz')}`,
        'aws-cdk-lib': local('aws-cdk-lib'),
        'cdk-nag': local('cdk-nag'),
        constructs: local('constructs'),
      },
    }),
  );
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: app });
}, 180_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const PROFILE =
  "{ id: 'acme', signature: { scheme: 'standard-webhooks', secrets: [{ id: 'k1', value: { env: 'ACME_SECRET' } }] }, files: { source: 'inline' } }";

/**
 * The consumer's app: its own roles get the grants, and its synth runs cdk-nag's AwsSolutions
 * checks (a finding makes synth throw).
 */
const PROGRAM = (moduleSystem: 'esm' | 'cjs', outdir: string) =>
  [
    moduleSystem === 'esm'
      ? [
          "import { App, Stack, Validations } from 'aws-cdk-lib';",
          "import * as iam from 'aws-cdk-lib/aws-iam';",
          "import { AwsSolutionsChecks } from 'cdk-nag';",
          "import { CallbackDownloader } from '@downloader/cdk-construct';",
        ].join('\n')
      : [
          "const { App, Stack, Validations } = require('aws-cdk-lib');",
          "const iam = require('aws-cdk-lib/aws-iam');",
          "const { AwsSolutionsChecks } = require('cdk-nag');",
          "const { CallbackDownloader } = require('@downloader/cdk-construct');",
        ].join('\n'),
    `const app = new App({ outdir: '${outdir}' });`,
    'Validations.of(app).addPlugins(new AwsSolutionsChecks(app));',
    "const stack = new Stack(app, 'Consumer');",
    `const downloader = new CallbackDownloader(stack, 'Downloader', { providers: [{ profile: ${PROFILE} }] });`,
    "const orders = new iam.Role(stack, 'OrdersService', { assumedBy: new iam.AccountRootPrincipal() });",
    "const analytics = new iam.Role(stack, 'Analytics', { assumedBy: new iam.AccountRootPrincipal() });",
    'downloader.grantStartDelivery(orders);',
    'downloader.grantReadResults(analytics);',
    'app.synth();',
  ].join('\n');

it.each(['esm', 'cjs'] as const)(
  'synthesizes a consumer stack (%s) from the installed tarball, with grants, under AwsSolutionsChecks',
  async (moduleSystem) => {
    // Act
    const outdir = `cdk.out.${moduleSystem}`;
    const file = moduleSystem === 'esm' ? 'app.mjs' : 'app.cjs';
    writeFileSync(join(app, file), PROGRAM(moduleSystem, outdir));
    await run(process.execPath, [file], { cwd: app });
    // Assess: eleven functions (API, reconciler, nine Tasks), each staged from a pre-bundled index.mjs; the Batch image context.
    const template = JSON.parse(readFileSync(join(app, outdir, 'Consumer.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string }>;
    };
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(11);
    const assets = JSON.parse(readFileSync(join(app, outdir, 'Consumer.assets.json'), 'utf8')) as {
      files: Record<string, { source: { path: string; packaging?: string } }>;
      dockerImages: Record<string, { source: { directory: string; platform?: string } }>;
    };
    const bundles = Object.values(assets.files).filter(
      (asset) =>
        asset.source.packaging === 'zip' && existsSync(join(app, outdir, asset.source.path, 'index.mjs')),
    );
    expect(bundles).toHaveLength(11);
    const [image] = Object.values(assets.dockerImages);
    expect(image?.source.platform).toBe('linux/amd64');
    expect(readdirSync(join(app, outdir, image?.source.directory ?? 'missing')).sort()).toEqual([
      'Dockerfile',
      'job.mjs',
    ]);
  },
  120_000,
);

it('types provider profiles for an installed consumer: a misspelt scheme fails to compile', async () => {
  // Prepare: the same profile twice, once right and once with a misspelt scheme.
  const tsc = join(PACKAGE_ROOT, '..', '..', 'node_modules', '.bin', 'tsc');
  writeFileSync(
    join(app, 'typed.ts'),
    [
      "import type { ProviderProfileInput } from '@downloader/cdk-construct';",
      `export const good: ProviderProfileInput = ${PROFILE};`,
      `export const bad: ProviderProfileInput = ${PROFILE.replace('standard-webhooks', 'standard-webhook')};`,
    ].join('\n'),
  );
  const args = [
    '--noEmit',
    '--strict',
    '--skipLibCheck',
    '--module',
    'nodenext',
    '--moduleResolution',
    'nodenext',
    'typed.ts',
  ];

  // Act
  const failure = await run(tsc, args, { cwd: app }).then(
    () => undefined,
    (error: { stdout?: string; message: string }) => error.stdout ?? error.message,
  );

  // Assess: exactly the misspelt line is refused (the type did not degrade to any).
  expect(failure).toMatch(/typed\.ts\(3,.*'"standard-webhook"' is not assignable/);
  expect(failure).not.toMatch(/typed\.ts\(2,/);
}, 120_000);
