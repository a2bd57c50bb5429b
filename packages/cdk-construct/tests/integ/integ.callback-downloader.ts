/**
 * Integration test for accounts with credentials (not run in CI):
 *   pnpm --filter @downloader/cdk-construct integ
 * Deploys a CallbackDownloader, then checks from the outside that registration refuses unsigned
 * requests, that an unknown callback id answers 404, and that the workflow and job queue exist.
 * Needs Docker for the job image (or set DOWNLOADER_INTEG_IMAGE to a published image).
 */

import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { CallbackDownloader } from '../../src/CallbackDownloader.js';

const app = new App();
const stack = new Stack(app, 'CallbackDownloaderInteg');
const image = process.env.DOWNLOADER_INTEG_IMAGE;
const downloader = new CallbackDownloader(stack, 'Downloader', {
  removalPolicy: RemovalPolicy.DESTROY,
  providers: [
    {
      profile: {
        id: 'integ',
        signature: { scheme: 'standard-webhooks', secrets: [{ id: 'k1', value: { env: 'INTEG_SECRET' } }] },
        files: { source: 'inline' },
      },
    },
  ],
  ...(image === undefined ? {} : { image: ecs.ContainerImage.fromRegistry(image) }),
});

const integ = new IntegTest(app, 'CallbackDownloaderIntegTest', { testCases: [stack] });

integ.assertions
  .httpApiCall(`${downloader.apiUrl}/deliveries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'integ' }),
  })
  .expect(ExpectedResult.objectLike({ status: 403 }));

integ.assertions
  .httpApiCall(`${downloader.callbackBaseUrl}AAAAAAAAAAAAAAAAAAAAAA`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  })
  .expect(ExpectedResult.objectLike({ status: 404 }));

integ.assertions
  .awsApiCall('StepFunctions', 'describeStateMachine', {
    stateMachineArn: downloader.stateMachine.stateMachineArn,
  })
  .expect(ExpectedResult.objectLike({ status: 'ACTIVE', type: 'STANDARD' }));

app.synth();
