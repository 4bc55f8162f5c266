// Web mode: the renderer as a static site (npm run build:web → out/web) or a dev server
// (npm run web). Relative base, so the site works from any folder of a web server.
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { contentSecurityPolicy } from './vite.csp.ts';
import { ISOLATION_HEADERS, WORKER_DEPS } from './vite.renderer.ts';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [vue(), contentSecurityPolicy()],
  worker: { format: 'es' },
  optimizeDeps: { include: WORKER_DEPS },
  build: {
    outDir: fileURLToPath(new URL('./out/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { port: 5173, strictPort: false, headers: ISOLATION_HEADERS },
  preview: { port: 4173, headers: ISOLATION_HEADERS },
});
