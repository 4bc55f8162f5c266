import type { EvaluateModule } from '../../core/plugins/catalog';
import { sandboxEvaluator } from '../../core/plugins/sandbox';

/**
 * Evaluate a plugin script in the sandbox (core/plugins/sandbox), inside the training worker
 * only: the worker's built-ins frozen, a compartment per file with nothing of the worker in it
 * (no postMessage, fetch, indexedDB, timers). A plugin's console output goes to the worker's
 * console (the developer tools), after the plugin's file name.
 */
export const evaluateSandboxed: EvaluateModule = sandboxEvaluator((level, file, text) =>
  console[level](`[${file}] ${text}`),
);
