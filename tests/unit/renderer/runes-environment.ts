import type { Environment } from 'vitest/environments';

/**
 * Runs renderer state modules (`*.svelte.ts`) as the page does: compiled by the Svelte plugin for the client,
 * so `$state`, `$derived` and effects react for real, in Node without a DOM (the modules under test hold
 * state, not markup). The renderer-unit project in vitest.config.ts runs every test under tests/unit/renderer in it.
 */
export default {
  name: 'runes',
  viteEnvironment: 'client',
  setup() {
    return { teardown: () => undefined };
  },
} satisfies Environment;
