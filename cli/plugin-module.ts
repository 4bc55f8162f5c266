import type { EvaluateModule } from '../core/plugins/catalog';
import { sandboxEvaluator } from '../core/plugins/sandbox';

/**
 * Evaluate a plugin script in the sandbox (core/plugins/sandbox: this thread's built-ins frozen,
 * a compartment per file with nothing of Node in it), exactly as the app's training worker does.
 * A plugin's console output goes to stderr, each line after the plugin's file name, so it never
 * mixes with what a command prints on stdout.
 *
 * @example const mod = await evaluatePluginModule(pluginSourceToScript(text, 'x.js'), 'x.js');
 */
export const evaluatePluginModule: EvaluateModule = sandboxEvaluator((_level, file, text) =>
  process.stderr.write(`${file}: ${text}\n`),
);
