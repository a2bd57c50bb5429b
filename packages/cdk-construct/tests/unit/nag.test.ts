import type { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallbackDownloader } from '../../src/CallbackDownloader.js';
import { useStubAssets } from '../helpers/stubAssets.js';
import { cleanSynthOutputs, synthesize } from '../helpers/synth.js';

let restoreAssets: () => void;
beforeAll(() => {
  restoreAssets = useStubAssets();
});
afterAll(() => {
  restoreAssets();
  cleanSynthOutputs();
});

const PROVIDER = {
  profile: {
    id: 'acme',
    signature: { scheme: 'stripe', secrets: [{ id: 'k', value: { env: 'ACME_KEY' } }] },
    files: { source: 'inline' },
  },
} as const;

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged finding with every optional part in use', () => {
    expect(() => synthesize({ providers: [PROVIDER] })).not.toThrow();
  });

  it('still reports findings the construct did not acknowledge (the check is live)', () => {
    // Prepare: a queue without SSL enforcement or a dead-letter queue, next to the construct.
    const extend = (stack: Stack) => {
      new sqs.Queue(stack, 'Unsafe');
    };
    // Act / Assess
    expect(() => synthesize({ providers: [PROVIDER] }, { extend })).toThrow(/AwsSolutions-SQS[34]/);
  });
});

describe('cdk-nag AwsSolutions in the consumer’s app', () => {
  it('passes with the consumer’s own roles given grantStartDelivery and grantReadResults', () => {
    // Prepare: two roles of the consumer's, as another team's stack would have them.
    const extend = (stack: Stack, downloader: CallbackDownloader) => {
      const orders = new iam.Role(stack, 'OrdersService', { assumedBy: new iam.AccountRootPrincipal() });
      const analytics = new iam.Role(stack, 'Analytics', { assumedBy: new iam.AccountRootPrincipal() });
      downloader.grantStartDelivery(orders);
      downloader.grantReadResults(analytics);
    };
    // Act / Assess
    expect(() => synthesize({ providers: [PROVIDER] }, { extend })).not.toThrow();
  });
});
