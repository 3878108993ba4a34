import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { builtinModules } from 'node:module';

// The fence between the processes. The renderer runs sandboxed in a page and src-shared/ runs on both sides, so
// neither may reach Node (modules or globals) or main's code; the renderer may take types from the IPC contract.
const nodeOnly = {
  regex: `^(node:.*|(electron|${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(/.*)?)$`,
  message: 'Node and Electron are main-process only: the renderer and src-shared/ run in the page as well.',
};
const nodeGlobals = ['Buffer', 'process', 'require', 'module', 'global', '__dirname', '__filename', 'setImmediate'].map(
  (name) => ({ name, message: `${name} is Node's: the renderer and src-shared/ run in the page as well.` }),
);

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '.engine/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  // Promises nobody awaits lose their errors (an unhandled rejection, or a handler that "succeeded" before its work
  // failed), and a promise passed where a void callback is expected (an event listener, an array callback) is never
  // awaited by its caller. Both need the types, so TypeScript and Svelte files are linted with the programs of the
  // three tsconfigs (main, renderer, and tests/scripts); plain .js/.mjs files have no program and skip these rules.
  {
    files: ['**/*.ts', '**/*.svelte'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['src-renderer/**/*.{ts,svelte}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-globals': ['error', ...nodeGlobals],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: 'src-main/(?!ipc/contract(/|$))',
              message:
                'The renderer takes nothing from src-main/ but types from the IPC contract: move pure code to src-shared/.',
            },
            {
              regex: 'src-main/ipc/contract(/|$)',
              allowTypeImports: true,
              message:
                "Only `import type` from the contract: its schemas are main's (channel names are in $shared/ipc/channels).",
            },
            nodeOnly,
          ],
        },
      ],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...nodeGlobals],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: 'src-(main|renderer)/|^\\$shared/',
              message:
                'src-shared/ stands alone: it imports nothing from main or the renderer (and itself by relative path).',
            },
            { group: ['zod'], message: 'src-shared/ carries no zod: the preload and the page bundle it.' },
            nodeOnly,
          ],
        },
      ],
    },
  },
);
