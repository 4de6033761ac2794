import { defineConfig } from 'vitest/config';

// CI reads its pass/fail counts from the JSON report (.ci/run).
const reporters = process.env.CI
  ? ['default', ['json', { outputFile: 'test-results/vitest.json' }] as const]
  : ['default'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 180_000,
    reporters: reporters as never,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/worker/**'] } },
      // Builds the Worker with wrangler first, so it only runs when asked for or in the full suite.
      { extends: true, test: { name: 'worker', include: ['test/worker/**/*.test.ts'], globalSetup: ['test/worker/global-setup.ts'] } },
    ],
  },
});
