import type { EvaluateModule } from './catalog';
import { pluginSourceToScript } from './source';
import { definitionsFromModule } from './validate';

/**
 * The layer types a plugin file defines, read without loading it into a catalog: the file runs
 * in the sandbox as a load would run it (a compartment of its own), its definitions are
 * validated, and nothing is checked or kept. Null when the file does not load. The app asks
 * before keeping a picked plugin whose types another file already defines.
 *
 * @example await pluginLayerTypes(evaluate, 'user:gated-sum.js', source) // ['GatedSum']
 */
export async function pluginLayerTypes(
  evaluate: EvaluateModule,
  file: string,
  source: string,
): Promise<string[] | null> {
  try {
    const mod = await evaluate(pluginSourceToScript(source, file), file);
    return definitionsFromModule(mod, file).map((d) => d.type);
  } catch {
    return null;
  }
}
