import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Three projects so `npm test` can run them in order and each can be run alone:
// unit (no engine), integration (core/ against the engine at DOCKER_HOST), e2e (Chromium against the browser preview).
// `$shared/…` is src-shared/ (as in vite.config.ts and tsconfig); each project extends this root config.
export default defineConfig({
  resolve: { alias: { $shared: resolve('src-shared') } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          exclude: ['tests/unit/renderer/**'],
          environment: 'node',
        },
      },
      {
        // The renderer's state modules (`*.svelte.ts`), compiled as the page runs them: Svelte's client
        // compile and runtime (the `browser` export conditions), in Node without a DOM. Part of `npm run test:unit`.
        extends: true,
        plugins: [svelte()],
        environments: {
          client: { consumer: 'client', resolve: { conditions: ['browser', 'module', 'development|production'] } },
        },
        test: {
          name: 'renderer-unit',
          include: ['tests/unit/renderer/**/*.test.ts'],
          environment: './tests/unit/renderer/runes-environment.ts',
        },
      },
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
