// Limits on plugin files, in a module of their own: the UI thread checks them before it reads a
// file, without loading the plugin compiler (source.ts) itself.

/**
 * The largest plugin file the engine reads: far above any layer written by hand (the shipped
 * ones are 1–3 kB), and small enough that parsing it cannot exhaust the engine's stack or
 * memory (a 50 MB array literal crashed Node's parser).
 */
export const MAX_PLUGIN_SOURCE_BYTES = 1024 * 1024;
