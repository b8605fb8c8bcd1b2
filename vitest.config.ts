import { defineConfig } from 'vitest/config';

// The project's own tests (unit tests of the harness and the self-test matrix).
// Runs of profiles against targets do not use this file: the engine configures vitest itself.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'fixtures/**/*.test.ts'],
    testTimeout: 180_000,
    // each matrix run is a CLI process with its own check worker; 3 at once keep 2 cores busy without starving the 1 s response deadlines
    maxConcurrency: 3,
    // CI reads the totals from the JSON file (.ci/run prints "N passed, N failed")
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
    hookTimeout: 60_000,
    globalSetup: ['test/support/build-cli.ts'],
  },
});
