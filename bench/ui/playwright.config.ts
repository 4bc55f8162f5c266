// The UI-thread measurements of `npm run bench` (not tests: they record timings, see record.ts):
// the app's Playwright setup (Debian's Chromium, the web build served by vite preview), with
// these specs and a port of their own so that they never meet a test run's server.
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import base from '../../playwright.config';

const port = Number(process.env.BENCH_UI_PORT ?? 4174);
const root = fileURLToPath(new URL('../../', import.meta.url));

export default defineConfig({
  ...base,
  testDir: fileURLToPath(new URL('.', import.meta.url)),
  outputDir: `${root}test-results/bench-ui`,
  use: { ...base.use, baseURL: `http://127.0.0.1:${port}` },
  webServer: {
    command: `npx vite build -c vite.web.config.ts --logLevel warn && npx vite preview -c vite.web.config.ts --port ${port} --strictPort --host 127.0.0.1`,
    cwd: root,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    timeout: 180_000,
  },
});
