// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const CORE_IMPORT =
  'core/ runs in the worker, the renderer and Node alike: it imports no renderer, electron, cli, UI library or Node module';
const CORE_GLOBAL =
  'core/ uses no DOM or Node globals (only those declared in core/util/globals.d.ts)';
/** The few host globals every browser, worker and Node give core (see core/util/globals.d.ts). */
const CORE_HOST_GLOBALS = new Set(['TextEncoder', 'TextDecoder', 'performance', 'atob']);
/** Every other global of Node, the browser or a worker that is not part of the language. */
const HOST_GLOBALS = [
  ...new Set([
    ...Object.keys(globals.node),
    ...Object.keys(globals.browser),
    ...Object.keys(globals.worker),
  ]),
].filter((name) => !(name in globals.es2022) && !CORE_HOST_GLOBALS.has(name));

export default tseslint.config(
  {
    ignores: ['node_modules/', 'out/', 'dist/', 'coverage/', 'test-results/', 'playwright-report/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The renderer and its worker run in a browser: browser globals, no Node.
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
    rules: {
      // Types from electron/ipc are fine; the electron module and Node are not.
      'no-restricted-imports': [
        'error',
        { paths: ['electron', 'fs', 'path'], patterns: ['node:*'] },
      ],
    },
  },
  {
    // core/ is shared by the worker, the renderer and Node: it imports none of them, and uses no
    // DOM or Node globals (test/unit/lint/core-boundary.test.ts proves each refusal fires).
    files: ['core/**/*.ts'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...builtinModules, 'electron', 'vue', 'pinia', 'chart.js'].map((name) => ({
            name,
            message: CORE_IMPORT,
          })),
          patterns: [
            { group: ['node:*', '@vue-flow/*', '@codemirror/*'], message: CORE_IMPORT },
            { regex: '^(\\.\\./)+(renderer|electron|cli)(/|$)', message: CORE_IMPORT },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...HOST_GLOBALS.map((name) => ({ name, message: CORE_GLOBAL })),
      ],
      'no-restricted-properties': [
        'error',
        ...['process', 'window', 'document', 'self', 'navigator', 'Buffer'].map((property) => ({
          object: 'globalThis',
          property,
          message: CORE_GLOBAL,
        })),
      ],
    },
  },
);
