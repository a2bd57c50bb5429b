/** What an operator relies on after the deploy: provider secrets kept and named, logs that expire. */
import { RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const providers = [
  {
    profile: {
      id: 'acme',
      signature: {
        scheme: 'standard-webhooks',
        secrets: [
          { id: 'current', value: { env: 'ACME_SECRET' } },
          { id: 'next', value: { env: 'ACME_NEXT_SECRET' } },
        ],
      },
      files: { source: 'inline' },
    },
  },
  {
    profile: {
      id: 'globex',
      signature: { scheme: 'github', secrets: [{ id: 'k', value: { env: 'GLOBEX_SECRET' } }] },
      files: { source: 'inline' },
    },
  },
] as const;

describe('provider secrets', () => {
  it('are retained when the stack is deleted or the secret replaced, unless told otherwise', () => {
    // Act
    const kept = synthesize({ providers }, { nag: false }).template;
    const dropped = synthesize(
      { providers, secretsRemovalPolicy: RemovalPolicy.DESTROY },
      { nag: false },
    ).template;

    // Assess
    const policies = (template: typeof kept) =>
      Object.values(template.findResources('AWS::SecretsManager::Secret')).map((secret) => [
        secret.DeletionPolicy,
        secret.UpdateReplacePolicy,
      ]);
    expect(policies(kept)).toEqual([
      ['Retain', 'Retain'],
      ['Retain', 'Retain'],
      ['Retain', 'Retain'],
    ]);
    expect(policies(dropped).map(([deletion]) => deletion)).toEqual(['Delete', 'Delete', 'Delete']);
  });

  it('each have an output naming the secret, its provider and how to set it', () => {
    // Act
    const { template } = synthesize({ providers }, { nag: false });

    // Assess
    const outputs = Object.entries(template.findOutputs('*')).filter(([name]) => name.includes('Secret'));
    const described = outputs.map(([, output]) => String(output.Description));
    expect(described).toHaveLength(3);
    for (const [name, provider] of [
      ['ACME_SECRET', 'acme'],
      ['ACME_NEXT_SECRET', 'acme'],
      ['GLOBEX_SECRET', 'globex'],
    ] as const) {
      expect(described).toContainEqual(
        expect.stringMatching(new RegExp(`^Secret ${name} of provider ${provider}: .*put-secret-value`)),
      );
    }
    for (const [, output] of outputs) expect(output.Value).toEqual({ Ref: expect.stringMatching(/Secret/) });
  });
});

describe('log groups', () => {
  it('every log group of the construct keeps logRetention, the VPC flow log included', () => {
    // Act
    const { template } = synthesize(
      { providers, logRetention: logs.RetentionDays.TWO_WEEKS },
      { nag: false },
    );

    // Assess: no group falls back to a default (two years for a default flow-log group).
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(15);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(14);
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: Match.stringLikeRegexp('FlowLogs') },
    });
  });
});
