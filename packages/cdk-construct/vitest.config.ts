import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      // The service's workflow builder is bundled into this package; tests use its sources.
      '@downloader/service/workflow': fileURLToPath(
        new URL('../service/src/workflow/index.ts', import.meta.url),
      ),
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    // Each synthesis of the full construct takes seconds on a shared 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
