// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
    // core/ is shared by the worker, the renderer and Node: no DOM or Node globals in it.
    files: ['core/**/*.ts'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: ['node:*', 'fs', 'path', 'vue', 'electron', '../renderer/*', '../electron/*'],
        },
      ],
    },
  },
);
