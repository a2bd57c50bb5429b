/**
 * The CDK app of the AWS target. `pnpm synth` runs it directly (no AWS credentials needed: the
 * stack is environment-agnostic); `cdk deploy` runs it through cdk.json. cdk-nag's AwsSolutions
 * checks run on every synthesis and stop it on any unacknowledged finding.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DownloaderStack } from './DownloaderStack.js';
import { PROVIDERS } from './providers.js';

// Run directly (pnpm synth) the app writes where the CLI would; under the CLI, CDK_OUTDIR wins.
const app = new App({ outdir: process.env.CDK_OUTDIR ?? 'cdk.out' });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const image: unknown = app.node.tryGetContext('downloader:image');
new DownloaderStack(app, 'Downloader', {
  description: 'downloader: provider callbacks in, verified files in S3 out',
  providers: PROVIDERS,
  ...(typeof image === 'string' && image !== '' ? { image } : {}),
  ...(process.env.CDK_DEFAULT_ACCOUNT === undefined
    ? {}
    : { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } }),
});
app.synth();
