import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import pkg from './package.json' with { type: 'json' };
import { cspMetaTag } from './src-main/web/csp';

// One config, three bundles, picked by --mode:
//   renderer (default)  src-renderer → dist/renderer (the page, for the window and the browser preview)
//   main                src-main entry points → dist/{main,web,cli} (Node/Electron main, ESM/CJS)
//   preload             src-main/electron/preload.ts → dist/main/preload.cjs (one file: sandboxed preloads cannot require)
const nodeExternals = [
  'electron',
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies),
];

// `$shared/…` is src-shared/, the pure code both processes use (tsconfig's `paths` say the same).
const resolveAliases = { alias: { $shared: resolve('src-shared') } };

export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'main') {
    return {
      resolve: resolveAliases,
      build: {
        outDir: 'dist',
        emptyOutDir: false,
        ssr: true,
        target: 'node20',
        sourcemap: false,
        minify: false,
        rollupOptions: {
          input: {
            'web/serve': resolve('src-main/web/serve.ts'),
            'cli/strata': resolve('src-main/cli/strata.ts'),
          },
          external: nodeExternals,
          output: [{ format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' }],
        },
      },
    };
  }
  if (mode === 'main-cjs') {
    return {
      resolve: resolveAliases,
      build: {
        outDir: 'dist',
        emptyOutDir: false,
        ssr: true,
        target: 'node20',
        sourcemap: false,
        minify: false,
        rollupOptions: {
          input: { 'main/main': resolve('src-main/electron/main.ts') },
          external: nodeExternals,
          // One file: the package ships dist/main only, so a lazily imported module (zod's manifest schemas)
          // must live inside main.cjs rather than in a chunk the package leaves out.
          output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
        },
      },
    };
  }
  if (mode === 'preload') {
    return {
      resolve: resolveAliases,
      build: {
        outDir: 'dist/main',
        emptyOutDir: false,
        ssr: true,
        target: 'node20',
        sourcemap: false,
        minify: false,
        rollupOptions: {
          input: { preload: resolve('src-main/electron/preload.ts') },
          external: ['electron'],
          output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
        },
      },
      ssr: { noExternal: true },
    };
  }
  return {
    root: 'src-renderer',
    base: './',
    resolve: resolveAliases,
    // The page's CSP meta tag comes from the same constant as the headers, so the two cannot drift apart.
    plugins: [svelte(), { name: 'strata-csp-meta', transformIndexHtml: (html: string) => cspMetaTag(html) }],
    build: {
      outDir: resolve('dist/renderer'),
      emptyOutDir: true,
      sourcemap: false,
      target: 'es2022',
      chunkSizeWarningLimit: 2000,
    },
  };
});
