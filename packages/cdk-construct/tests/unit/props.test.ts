import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderProfileInput } from '../../../callback-core/src/profile/types.js';
import { CallbackDownloader } from '../../src/CallbackDownloader.js';
import type { CallbackDownloaderProps } from '../../src/CallbackDownloaderProps.js';
import { CallbackDownloaderError } from '../../src/errors.js';
import { useStubAssets } from '../helpers/stubAssets.js';
import { cleanSynthOutputs, synthesize, testApp } from '../helpers/synth.js';

let restoreAssets: () => void;
beforeAll(() => {
  restoreAssets = useStubAssets();
});
afterAll(() => {
  restoreAssets();
  cleanSynthOutputs();
});

function construct(build: (stack: Stack) => CallbackDownloaderProps): () => CallbackDownloader {
  const stack = new Stack(testApp(), 'S', { env: { account: '123456789012', region: 'eu-west-1' } });
  return () => new CallbackDownloader(stack, 'D', build(stack));
}

function thrown(fn: () => unknown): CallbackDownloaderError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CallbackDownloaderError) return error;
    throw error;
  }
  throw new Error('expected a CallbackDownloaderError');
}

describe('existing xor new', () => {
  it('refuses existingTable together with tableProps', () => {
    const error = thrown(
      construct((stack) => ({
        existingTable: dynamodb.Table.fromTableName(stack, 'T', 'deliveries'),
        tableProps: { tableName: 'other' },
      })),
    );
    expect(error.code).toBe('CONFLICTING_PROPS');
    expect(error.message).toContain('"existingTable" or "tableProps"');
  });

  it('refuses existingBucket together with bucketProps', () => {
    const error = thrown(
      construct((stack) => ({
        existingBucket: s3.Bucket.fromBucketName(stack, 'B', 'files'),
        bucketProps: {},
      })),
    );
    expect(error.code).toBe('CONFLICTING_PROPS');
    expect(error.message).toContain('"existingBucket" or "bucketProps"');
  });

  it('refuses existingVpc together with vpcProps', () => {
    const error = thrown(
      construct((stack) => ({ existingVpc: new ec2.Vpc(stack, 'V'), vpcProps: { maxAzs: 3 } })),
    );
    expect(error.code).toBe('CONFLICTING_PROPS');
    expect(error.message).toContain('"existingVpc" or "vpcProps"');
  });
});

describe('existing resources', () => {
  it('uses the given table, bucket, VPC and image instead of creating them', () => {
    // Prepare
    const app = new App({ builtinCloudFormationValidation: false, outdir: testApp().outdir });
    const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Mine', { natGateways: 1 });
    // Act
    const downloader = new CallbackDownloader(stack, 'D', {
      existingTable: dynamodb.Table.fromTableName(stack, 'T', 'deliveries'),
      existingBucket: s3.Bucket.fromBucketName(stack, 'B', 'team-files'),
      existingVpc: vpc,
      image: ecs.ContainerImage.fromRegistry('public.example/batch-runner:1.0.0'),
    });
    // Assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: { Image: 'public.example/batch-runner:1.0.0' },
    });
    expect(downloader.vpc).toBe(vpc);
    expect(downloader.bucket.bucketName).toBe('team-files');
  });

  it('applies tableProps and bucketProps but keeps the store keys and TLS-only access', () => {
    const { template } = synthesize(
      {
        tableProps: { tableName: 'my-deliveries' },
        bucketProps: { bucketName: 'my-files', enforceSSL: false },
      },
      { nag: false },
    );
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'my-deliveries',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'my-files' });
    const policies = JSON.stringify(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies.match(/aws:SecureTransport/g)).toHaveLength(2);
  });
});

describe('invalid props', () => {
  it('refuses jobAttempts outside 1..10', () => {
    const error = thrown(construct(() => ({ jobAttempts: 11 })));
    expect(error.code).toBe('INVALID_PROPS');
    expect(error.message).toContain('jobAttempts must be 1–10, got 11');
  });

  it('refuses two providers with the same id', () => {
    const profile = {
      id: 'acme',
      signature: { scheme: 'none', requireCapabilityUrl: true },
      capabilityUrl: true,
      files: { source: 'inline' },
    } as const;
    const error = thrown(construct(() => ({ providers: [{ profile }, { profile }] })));
    expect(error.code).toBe('INVALID_PROPS');
    expect(error.message).toContain('two providers have the id "acme"');
  });

  it('refuses an invalid provider profile at compile time, and at synth (naming the provider and the path)', () => {
    // @ts-expect-error: the profile is typed, so a misspelt scheme does not compile …
    const misspelt: ProviderProfileInput = { id: 'acme', signature: { scheme: 'no-such-scheme' } };
    // … and a JavaScript caller, without types, is stopped at synth.
    const error = thrown(construct(() => ({ providers: [{ profile: misspelt }] })));
    expect(error.code).toBe('INVALID_PROPS');
    expect(error.message).toContain('provider "acme" has an invalid profile');
    expect(error.message).toContain('signature');
  });

  it('creates one secret per referenced name', () => {
    const { template } = synthesize(
      {
        providers: [
          {
            profile: {
              id: 'acme',
              signature: { scheme: 'standard-webhooks', secrets: [{ id: 'a', value: { env: 'ACME' } }] },
              files: { source: 'inline' },
            },
          },
          {
            profile: {
              id: 'beta',
              signature: { scheme: 'standard-webhooks', secrets: [{ id: 'b', value: { env: 'BETA' } }] },
              files: { source: 'inline' },
            },
          },
        ],
      },
      { nag: false },
    );
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
  });
});
