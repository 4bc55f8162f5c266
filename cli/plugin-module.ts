import type { EvaluateModule } from '../core/plugins/catalog';

/**
 * Evaluate a plugin's JavaScript (already through pluginSourceToJs) as an ES module from a
 * `data:` URL. Plugins import nothing, so nothing needs resolving against the file's folder,
 * and a plugin that works here works the same in the app's training worker. The sourceURL
 * comment makes stack traces (--debug) name the plugin file instead of the long URL.
 *
 * @example const mod = await evaluatePluginModule('export default { type: "X" }', 'x.js');
 */
export const evaluatePluginModule: EvaluateModule = async (js, file) => {
  const text = `${js}\n//# sourceURL=${file.replace(/\s/g, '_')}\n`;
  const url = `data:text/javascript;base64,${Buffer.from(text, 'utf8').toString('base64')}`;
  try {
    return await import(/* @vite-ignore */ url);
  } catch (e) {
    throw importProblem(e, js) ?? e;
  }
};

// Node's message for an import names the specifier and then the whole data URL: say instead
// what a plugin may do, and where the import is.
function importProblem(e: unknown, js: string): Error | null {
  const err = e as { code?: string; message?: string } | null;
  if (err?.code !== 'ERR_UNSUPPORTED_RESOLVE_REQUEST') return null;
  const specifier = /module specifier "([^"]*)"/.exec(err.message ?? '')?.[1];
  if (specifier === undefined) return null;
  const at = lineOf(js, specifier);
  return new Error(
    `imports '${specifier}'${at ? ` (line ${at})` : ''}, but a plugin imports nothing: ` +
      'the engine hands a layer what it needs (ctx.ops, ctx.zeros, ctx.tensor), so keep the layer in this one file',
  );
}

function lineOf(js: string, specifier: string): number | null {
  for (const q of ["'", '"', '`']) {
    const i = js.indexOf(`${q}${specifier}${q}`);
    if (i >= 0) return js.slice(0, i).split('\n').length;
  }
  return null;
}
