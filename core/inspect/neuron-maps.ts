import type { Model } from '../model/model';
import { sizeOf } from '../tensor/tensor';
import { type GridSpec, evalOutputs, gridInputs } from './boundary';

/** One node's neurons, each one's output over the plane. */
export interface NodeMaps {
  id: string;
  /** The node's output width; only the first `shown` neurons are mapped. */
  units: number;
  shown: number;
  /**
   * `shown` maps one after the other, each ny × nx, row-major with row 0 at the top (y1):
   * value (neuron j, row r, col c) at [(j · ny + r) · nx + c].
   */
  values: Float32Array;
  /** Smallest and largest value over the node's maps. */
  min: number;
  max: number;
}

export interface NeuronMaps extends GridSpec {
  nodes: NodeMaps[];
}

/**
 * What each neuron computes as a function of the 2-D input: for every node after the Input
 * whose output is a vector, each neuron's output at the centre of every cell of the grid, in
 * evaluation mode (dropout off, nothing recorded). At most `maxUnits` neurons per node.
 *
 * @example const m = neuronMaps(model, { ...planeBounds(x), nx: 24, ny: 24 });
 */
export function neuronMaps(model: Model, spec: GridSpec, maxUnits = 16): NeuronMaps {
  const x = gridInputs(model, spec, 'a map of each neuron over the input plane');
  const { outputs } = evalOutputs(model, x);
  const cells = spec.nx * spec.ny;
  const nodes: NodeMaps[] = [];
  for (const n of model.graph.nodes) {
    if (n === model.graph.input || n.outShape.length !== 1) continue;
    const out = outputs.get(n.id);
    if (!out) continue;
    const units = sizeOf(n.outShape);
    const shown = Math.min(units, maxUnits);
    const values = new Float32Array(shown * cells);
    let min = Infinity,
      max = -Infinity;
    for (let j = 0; j < shown; j++) {
      for (let i = 0; i < cells; i++) {
        const v = out.data[i * units + j];
        values[j * cells + i] = v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    nodes.push({ id: n.id, units, shown, values, min, max });
  }
  return { ...spec, nodes };
}
