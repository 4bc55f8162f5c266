import type { CompiledNode } from '../graph/compile';
import { runLayer } from '../layers/run';
import type { Model } from '../model/model';
import type { Tensor } from '../tensor/tensor';
import type { Rng } from '../util/rng';

/** A node's weights by the names its layer declared, looked up in the model. */
export function nodeWeights(model: Model, n: CompiledNode): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const name of Object.keys(n.weights)) out[name] = model.weights.get(`${n.id}.${name}`)!;
  return out;
}

/** Run one node's layer on the given inputs, as Model's own forward does. */
export function runNodeLayer(
  n: CompiledNode,
  inputs: Tensor[],
  weights: Record<string, Tensor>,
  training: boolean,
  rng: Rng,
): Tensor {
  return runLayer(n.def, inputs, weights, {
    node: n.id,
    source: n.source,
    params: n.params,
    training,
    rng,
    outShape: n.outShape,
    multiInput: n.inputs.length > 1,
  });
}
