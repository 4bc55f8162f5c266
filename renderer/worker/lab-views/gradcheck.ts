// The gradient-check view's data: a plugin layer checked against central differences, with
// every element of both gradients kept.
import { gradcheckLayerArrays } from '../../../core/inspect/gradcheck-arrays';
import { arity } from '../../../core/layers/contract';
import type { LayerRegistry } from '../../../core/layers/registry';
import type { PluginLayerDefinition } from '../../../core/plugins/validate';
import type { GradcheckLayerChoice, GradcheckResultView } from '../../lab/inspect-types';

/** The plugin layers of a registry, in registry order. */
export function pluginLayers(registry: LayerRegistry): GradcheckLayerChoice[] {
  return registry.types().flatMap((type) => {
    const r = registry.get(type)!;
    if (r.source === 'builtin') return [];
    return [{ type, file: r.source, hasBackward: typeof r.def.backward === 'function' }];
  });
}

/**
 * Check `layer` (default: the first plugin layer) at the shapes its plugin declares for the
 * load-time check (or one input of [4]), so the numbers match what the plugin list shows.
 */
export function gradcheckView(registry: LayerRegistry, layer: string | null): GradcheckResultView {
  const layers = pluginLayers(registry);
  const pick = layers.find((l) => l.type === layer) ?? layers[0];
  const empty = { view: 'gradcheck' as const, layers, inShapes: [], tensors: [] };
  if (!pick) return { ...empty, layer: null, ok: true, error: null };
  const { def, source } = registry.get(pick.type)!;
  const declared = (def as PluginLayerDefinition).gradcheck;
  const { min } = arity(def);
  const inShapes = declared?.inShapes ?? Array.from({ length: Math.max(min, 1) }, () => [4]);
  const r = gradcheckLayerArrays(def, {
    inShapes,
    params: declared?.params,
    batch: declared?.batch,
    source,
  });
  return {
    view: 'gradcheck',
    layers,
    layer: pick.type,
    inShapes,
    ok: r.ok,
    error: r.error ?? null,
    tensors: r.tensors.map((t, i) => ({
      ...t,
      analytic: r.arrays[i]?.analytic ?? new Float64Array(0),
      numeric: r.arrays[i]?.numeric ?? new Float64Array(0),
    })),
  };
}
