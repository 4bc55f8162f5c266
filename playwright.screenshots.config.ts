// The README's screenshots (docs/screenshots/), taken by test/e2e/**/*.shots.ts: `npm run
// screenshots`. The same browser, server and port as the end-to-end tests
// (playwright.config.ts), which leave these files out so that `npm test` never rewrites them.
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  testMatch: '**/*.shots.ts',
  outputDir: 'test-results/shots',
});
