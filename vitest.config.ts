import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Three projects so `npm test` can run them in order and each can be run alone:
// unit (no engine), integration (core/ against the engine at DOCKER_HOST), e2e (Chromium against the browser preview).
// `$shared/…` is src-shared/ (as in vite.config.ts and tsconfig); each project extends this root config.
export default defineConfig({
  resolve: { alias: { $shared: resolve('src-shared') } },
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      {
        extends: true,
        test: {
          name: 'packaging',
          include: ['tests/packaging/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
