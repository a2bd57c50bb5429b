import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Synthesizing the whole stack takes seconds on a loaded 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
