// Web mode: the renderer as a static site (npm run build:web → out/web) or a dev server
// (npm run web). Relative base, so the site works from any folder of a web server.
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { contentSecurityPolicy } from './vite.csp.ts';

/**
 * Cross-origin isolation, as the desktop app has it: with these headers the training worker may
 * share memory with a second thread for large matrix products. A web server that serves
 * out/web without them still runs the app, on one thread.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [vue(), contentSecurityPolicy()],
  worker: { format: 'es' },
  // The worker's dependencies are not found by the dev server's first scan: without this it
  // reloads the page once sucrase (plugins' TypeScript stripping) is first imported.
  optimizeDeps: {
    include: [
      'sucrase/dist/index.js',
      'sucrase/dist/parser/index.js',
      'sucrase/dist/parser/tokenizer/types.js',
      'ses',
      'zod',
    ],
  },
  build: {
    outDir: fileURLToPath(new URL('./out/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { port: 5173, strictPort: false, headers: ISOLATION_HEADERS },
  preview: { port: 4173, headers: ISOLATION_HEADERS },
});
