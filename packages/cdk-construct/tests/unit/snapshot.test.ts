import { afterAll, beforeAll, expect, it } from 'vitest';
import { useStubAssets } from '../helpers/stubAssets.js';
import { cleanSynthOutputs, synthesize } from '../helpers/synth.js';
import { maskAssetHashes } from '../helpers/template.js';

let restoreAssets: () => void;
beforeAll(() => {
  restoreAssets = useStubAssets();
});
afterAll(() => {
  restoreAssets();
  cleanSynthOutputs();
});

it('synthesizes the same template as reviewed (asset hashes masked)', () => {
  const { template } = synthesize(
    {
      providers: [
        {
          profile: {
            id: 'acme',
            signature: { scheme: 'none', requireCapabilityUrl: true },
            capabilityUrl: true,
            files: { source: 'inline' },
          },
        },
      ],
    },
    { nag: false },
  );
  expect(maskAssetHashes(template)).toMatchSnapshot();
});
