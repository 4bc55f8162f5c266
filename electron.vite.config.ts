// One build for the desktop app: main (ES module), preload (CommonJS, so the renderer's sandbox
// can stay on) and the Vue renderer, all into out/.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';
import { contentSecurityPolicy } from './vite.csp.ts';

// import.meta.url, not import.meta.dirname: electron-vite rewrites only the former when it
// bundles this file.
const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        input: { index: resolve(root, 'electron/main/index.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // Sandboxed preloads may require only 'electron': bundle everything else.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [vue(), contentSecurityPolicy()],
    // Module workers: the training worker is an ES module.
    worker: { format: 'es' },
    // Pre-bundled up front: otherwise the dev server reloads once when the worker first needs them.
    optimizeDeps: {
      include: [
        'sucrase/dist/index.js',
        'sucrase/dist/parser/index.js',
        'sucrase/dist/parser/tokenizer/types.js',
        'ses',
        'zod',
      ],
    },
    // `electron-vite dev`: cross-origin isolated like the built app (two-thread products).
    server: {
      headers: {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      },
    },
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: {
        input: { index: resolve(root, 'renderer/index.html') },
      },
    },
  },
});
