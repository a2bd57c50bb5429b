/** Synthesizes a stack holding one CallbackDownloader, and cleans the output folders afterwards. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CallbackDownloader } from '../../src/CallbackDownloader.js';
import type { CallbackDownloaderProps } from '../../src/CallbackDownloaderProps.js';

const outdirs: string[] = [];

/** A fresh app writing into a temp folder (removed by {@link cleanSynthOutputs}). */
export function testApp(): App {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk.out-construct-'));
  outdirs.push(outdir);
  return new App({ outdir, builtinCloudFormationValidation: false });
}

/** Stack + construct + template, with cdk-nag AwsSolutions checks unless `nag` is false. */
export function synthesize(
  props: CallbackDownloaderProps = {},
  options: { nag?: boolean; extend?: (stack: Stack, downloader: CallbackDownloader) => void } = {},
) {
  const app = testApp();
  if (options.nag !== false) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'eu-west-1' } });
  const downloader = new CallbackDownloader(stack, 'Downloader', props);
  options.extend?.(stack, downloader);
  const template = Template.fromStack(stack);
  return { app, stack, downloader, template };
}

/** Removes every output folder made by {@link testApp}. */
export function cleanSynthOutputs(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
