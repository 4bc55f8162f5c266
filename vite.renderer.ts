// What the desktop build (electron.vite.config.ts) and the web build (vite.web.config.ts) of the
// renderer share, so the two dev servers and builds cannot drift apart.

/**
 * Cross-origin isolation, as the desktop app has it: with these headers the training worker may
 * share memory with a second thread for large matrix products. A web server that serves
 * out/web without them still runs the app, on one thread.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The training worker's dependencies, pre-bundled up front: the dev server's first scan does not
 * find them, and without this it reloads the page once the worker first imports them (sucrase
 * strips plugins' TypeScript, ses confines them, zod checks projects).
 */
export const WORKER_DEPS = [
  'sucrase/dist/index.js',
  'sucrase/dist/parser/index.js',
  'sucrase/dist/parser/tokenizer/types.js',
  'ses',
  'zod',
];
