import { createRequire } from 'node:module';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      { find: '@', replacement: import.meta.dirname },
      // One graphql for everything, as in the Next build: packages loaded by Node (Pothos, yoga) get
      // graphql's CommonJS entry, and without this our sources would get its ES module entry, a second
      // copy whose type checks (isScalarType...) refuse the schema's types.
      { find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') },
    ],
  },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    globalSetup: ['tests/setup/global-db.ts'],
    setupFiles: ['tests/setup/worker-env.ts'],
    pool: 'forks',
    // Two cores: two workers. PGlite serialises transactions anyway.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
