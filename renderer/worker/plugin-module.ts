import type { EvaluateModule } from '../../core/plugins/catalog';

/**
 * Evaluate a plugin's JavaScript (already through pluginSourceToJs) as an ES module from a Blob
 * URL, inside the training worker only. Plugins import nothing; an import says so plainly
 * instead of the browser's message about an unresolvable specifier. The sourceURL comment makes
 * stack traces name the plugin file.
 */
export const evaluateBlobModule: EvaluateModule = async (js, file) => {
  const text = `${js}\n//# sourceURL=${file.replace(/\s/g, '_')}\n`;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
  try {
    return await import(/* @vite-ignore */ url);
  } catch (e) {
    const specifier = /specifier ["']([^"']+)["']/.exec(e instanceof Error ? e.message : '')?.[1];
    if (specifier === undefined) throw e;
    throw new Error(
      `imports '${specifier}', but a plugin imports nothing: the engine hands a layer what it ` +
        'needs (ctx.ops, ctx.zeros, ctx.tensor), so keep the layer in this one file',
      { cause: e },
    );
  } finally {
    URL.revokeObjectURL(url);
  }
};
