import { compileProject } from '../../../core/graph/compile';
import { parseProject } from '../../../core/graph/parse';
import type { LayerDefinition } from '../../../core/layers/contract';
import { LayerRegistry } from '../../../core/layers/registry';
import type { LossType } from '../../../core/losses';
import { Model } from '../../../core/model/model';
import { Tensor } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';
import { type NodeSpec, makeProject } from '../../helpers/project';

/** A model over the given nodes (the last is the output), with plugins registered. */
export function buildModel(
  nodes: NodeSpec[],
  loss: LossType = 'MSE',
  plugins: LayerDefinition[] = [],
  seed = 1,
): Model {
  const registry = new LayerRegistry();
  for (const p of plugins) registry.add(p, `${p.type.toLowerCase()}.js`);
  const graph = compileProject(
    parseProject(makeProject(nodes, { loss: { type: loss } })),
    registry,
  );
  return new Model(graph, seed);
}

export function randomTensor(
  shape: number[],
  seed: number,
  dtype: 'float32' | 'float64' = 'float32',
): Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  return Tensor.from(
    Array.from({ length: n }, () => rng.range(-1, 1)),
    shape,
    dtype,
  );
}

/** x[3] → fc1 Dense(4) → h Tanh → fc2 Dense(2): the lecture's two-layer net. */
export function twoLayer(extra: Record<string, Partial<NodeSpec>> = {}): NodeSpec[] {
  return [
    { id: 'x', type: 'Input', params: { shape: [3] } },
    { id: 'fc1', type: 'Dense', params: { units: 4 }, inputs: ['x'], ...extra.fc1 },
    { id: 'h', type: 'Tanh', inputs: ['fc1'], ...extra.h },
    { id: 'fc2', type: 'Dense', params: { units: 2 }, inputs: ['h'], ...extra.fc2 },
  ];
}

/** W of shape [out, in] as a function (j, i) → W[j][i]. */
export function weight(
  model: Model,
  name: string,
): { w: (j: number, i: number) => number; out: number; in: number } {
  const t = model.weights.get(name)!;
  const [out, inF] = t.shape;
  return { w: (j, i) => t.data[j * inF + i], out, in: inF };
}
