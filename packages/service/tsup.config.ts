import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // `dynamodb-keys`: the table's key scheme, which the CDK construct builds its table from.
    entry: { index: 'src/index.ts', 'dynamodb-keys': 'src/adapters/aws/dynamodb/tableKeys.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    // `import.meta.url` (used to find the guarded runner entry) must also work in the CJS build.
    shims: true,
  },
  {
    // The large-file child process: batch-runner's CLI with the provider's URL policy as its guard.
    entry: { guardedBatchRunner: 'src/largeFile/guardedBatchRunner.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
