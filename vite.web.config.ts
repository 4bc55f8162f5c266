// Web mode: the renderer as a static site (npm run build:web → out/web) or a dev server
// (npm run web). Relative base, so the site works from any folder of a web server.
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [vue()],
  worker: { format: 'es' },
  // The worker's dependencies are not found by the dev server's first scan: without this it
  // reloads the page once sucrase (plugins' TypeScript stripping) is first imported.
  optimizeDeps: { include: ['sucrase', 'zod'] },
  build: {
    outDir: fileURLToPath(new URL('./out/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173 },
});
