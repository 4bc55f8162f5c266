// What the UI knows about each layer type: built-ins from core, plugin layers from the worker's
// plugin statuses. The palette and the inspector read these; plugin code never runs here.
import { BUILTIN_DEFINITIONS, BUILTIN_LAYERS } from '../../core/layers/builtin';
import { type ParamSpec, arity } from '../../core/layers/contract';
import type { PluginCheck, PluginLayerInfo } from '../../core/plugins/catalog';
import type { LayerTable } from '../shapes/infer-shapes';

export interface LayerInfo {
  type: string;
  description: string;
  /** Palette group: Input, Layers, Activations, Merge, … or the plugin's own. */
  category: string;
  params: Record<string, ParamSpec>;
  /** How many inputs; `max` null for merge layers that take any number. */
  inputs: { min: number; max: number | null };
  /** 'builtin', or the plugin file ('app:wacky.js'). */
  source: string;
  /** Plugin layers: the gradient check run when the plugin loaded. */
  check?: PluginCheck;
  hasBackward?: boolean;
  /** Data enters the network here (the Input layer). */
  entry?: boolean;
}

export const BUILTIN_LAYER_INFO: LayerInfo[] = BUILTIN_DEFINITIONS.map((def) => {
  const { min, max } = arity(def);
  return {
    type: def.type,
    description: def.description ?? '',
    category: def.category ?? 'Layers',
    params: { ...(def.params ?? {}) },
    inputs: { min, max: max === Infinity ? null : max },
    source: 'builtin',
    entry: def.entry === true,
  };
});

export function pluginLayerInfo(l: PluginLayerInfo): LayerInfo {
  return {
    type: l.type,
    description: l.description,
    category: l.category,
    params: l.params,
    inputs: { ...l.inputs },
    source: l.file,
    check: l.check,
    hasBackward: l.hasBackward,
  };
}

/** Shape inference on the UI thread: built-ins build here, plugin layers are left unknown. */
export function uiLayerLookup(layers: readonly LayerInfo[]): LayerTable {
  const byType = new Map(layers.map((l) => [l.type, l]));
  return {
    get(type) {
      const l = byType.get(type);
      if (!l) return undefined;
      const builtin = l.source === 'builtin' ? BUILTIN_LAYERS[type] : undefined;
      return {
        params: l.params,
        inputs: { min: l.inputs.min, max: l.inputs.max ?? Infinity },
        entry: l.entry,
        ...(builtin ? { build: (args) => builtin.build(args) } : {}),
      };
    },
    types: () => [...byType.keys()],
  };
}
