import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { DownloaderStack } from '../../src/aws/DownloaderStack.js';
import { PROVIDERS } from '../../src/aws/providers.js';

const run = promisify(execFile);
const APP_ROOT = join(import.meta.dirname, '..', '..');
const outdirs: string[] = [];

function tempOutdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cdk.out-stack-'));
  outdirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe('AWS target', { timeout: 180_000 }, () => {
  it('synthesizes the template offline, without AWS credentials, cdk-nag clean', async () => {
    // Prepare: no credentials or profile of any kind reach the app.
    const outdir = tempOutdir();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: tmpdir(), CDK_OUTDIR: outdir };
    // Act
    await run(process.execPath, ['--import', 'tsx', 'src/aws/app.ts'], { cwd: APP_ROOT, env });
    // Assess
    const template = JSON.parse(readFileSync(join(outdir, 'Downloader.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string }>;
      Outputs: Record<string, unknown>;
    };
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    expect(types).toContain('AWS::StepFunctions::StateMachine');
    expect(types).toContain('AWS::Batch::JobDefinition');
    expect(types.filter((type) => type === 'AWS::SecretsManager::Secret')).toHaveLength(1);
    expect(Object.keys(template.Outputs).some((name) => name.includes('CallbackBaseUrl'))).toBe(true);
  });

  it('deploys a published image without a Docker asset when one is given', () => {
    const imageAssets = (image?: string) => {
      const outdir = tempOutdir();
      const app = new App({ outdir, builtinCloudFormationValidation: false });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      const stack = new DownloaderStack(app, 'Downloader', {
        providers: PROVIDERS,
        ...(image ? { image } : {}),
      });
      const template = Template.fromStack(stack);
      const manifest = JSON.parse(readFileSync(join(outdir, 'Downloader.assets.json'), 'utf8')) as {
        dockerImages?: Record<string, unknown>;
      };
      return { template, images: Object.keys(manifest.dockerImages ?? {}).length };
    };
    // Act
    const built = imageAssets();
    const published = imageAssets('registry.internal.example/downloader/batch-runner:1.2.3');
    // Assess
    expect(built.images).toBe(1);
    expect(published.images).toBe(0);
    published.template.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: { Image: 'registry.internal.example/downloader/batch-runner:1.2.3' },
    });
  });
});
