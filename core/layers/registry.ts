import { LabError } from '../util/errors';
import { BUILTIN_LAYERS } from './builtin';
import type { LayerDefinition } from './contract';

export interface RegisteredLayer {
  def: LayerDefinition;
  /** 'builtin' or the plugin's file name. */
  source: string;
}

/**
 * The layers a graph may use: the built-ins, then plugins. Registering a type that already
 * exists is an error, never a silent overwrite; asking for an unknown type lists what exists.
 */
export class LayerRegistry {
  private readonly layers = new Map<string, RegisteredLayer>();

  constructor(withBuiltins = true) {
    if (withBuiltins) for (const def of Object.values(BUILTIN_LAYERS)) this.add(def, 'builtin');
  }

  add(def: LayerDefinition, source: string): void {
    const prev = this.layers.get(def.type);
    if (prev) {
      const where = prev.source === 'builtin' ? 'a built-in layer' : `the plugin ${prev.source}`;
      throw new LabError(
        'PLUGIN',
        `Layer type '${def.type}' from ${source} clashes with ${where}`,
        {
          plugin: source,
        },
      );
    }
    this.layers.set(def.type, { def, source });
  }

  has(type: string): boolean {
    return this.layers.has(type);
  }

  get(type: string): RegisteredLayer | undefined {
    return this.layers.get(type);
  }

  types(): string[] {
    return [...this.layers.keys()];
  }

  /** A copy that plugins can be added to without touching this one. */
  clone(): LayerRegistry {
    const r = new LayerRegistry(false);
    for (const [k, v] of this.layers) r.layers.set(k, v);
    return r;
  }
}
