import { backward } from '../autograd/backward';
import { noGrad } from '../autograd/state';
import type { Model } from '../model/model';
import { Tensor, formatShape, sizeOf } from '../tensor/tensor';
import { LabError } from '../util/errors';
import { Rng } from '../util/rng';
import { isolated } from './isolated';
import { nodeWeights, runNodeLayer } from './node-run';

export interface Jacobian {
  /** Output values of the node for one sample. */
  rows: number;
  /** Values of the chosen input for one sample. */
  cols: number;
  /** Row-major rows × cols: data[i * cols + j] = ∂yᵢ/∂xⱼ. */
  data: Float64Array;
  outShape: number[];
  inShape: number[];
}

export interface JacobianOptions {
  /** Which input, for a node with several (default 0). */
  input?: number;
}

/**
 * The Jacobian of a node's output with respect to one of its inputs, for one sample, built row
 * by row from vector-Jacobian products: row i is the backward of a one-hot seed on output i.
 * The network runs up to the node as in training (float32, evaluation mode); the node itself
 * then runs in float64 on that input as a fresh leaf. It is the Jacobian of the layer's
 * function, whatever detach or frozen say about training.
 *
 * @example nodeJacobian(model, 'y', [0.5, -1]) // for Sigmoid∘Dense: diag(σ′)·W via two calls
 */
export function nodeJacobian(
  model: Model,
  nodeId: string,
  sample: Float32Array | number[],
  opts: JacobianOptions = {},
): Jacobian {
  const n = model.graph.byId.get(nodeId);
  if (!n) {
    const known = model.graph.nodes.map((m) => m.id).join(', ');
    throw new LabError('USAGE', `no node '${nodeId}' in this network (nodes: ${known})`);
  }
  if (n.inputs.length === 0) {
    throw new LabError('USAGE', `node '${nodeId}' (${n.type}) has no input to differentiate by`, {
      node: nodeId,
    });
  }
  const k = opts.input ?? 0;
  if (!Number.isInteger(k) || k < 0 || k >= n.inputs.length) {
    throw new LabError(
      'USAGE',
      `node '${nodeId}' has ${n.inputs.length} input(s); input ${k} does not exist`,
      { node: nodeId },
    );
  }
  const sampleShape = model.graph.input.outShape;
  if (sample.length !== sizeOf(sampleShape)) {
    throw new LabError(
      'SHAPE_MISMATCH',
      `a sample for node '${model.graph.input.id}' has ${sizeOf(sampleShape)} values (shape ${formatShape(sampleShape)}), got ${sample.length}`,
      { node: model.graph.input.id },
    );
  }

  return isolated(() => {
    const x = Tensor.from(sample, [1, ...sampleShape]);
    const { outputs } = noGrad(() => model.forward(x, { training: false, rng: new Rng(0) }));
    const inputs = n.inputs.map((s) =>
      Tensor.from(outputs.get(s)!.data, outputs.get(s)!.shape, 'float64'),
    );
    const weights = Object.fromEntries(
      Object.entries(nodeWeights(model, n)).map(([name, w]) => [
        name,
        Tensor.from(w.data, w.shape, 'float64'),
      ]),
    );
    const rows = sizeOf(n.outShape);
    const cols = sizeOf(n.inShapes[k]);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      // The tape is spent by each backward, so the node runs once per row.
      const leaf = new Tensor(inputs[k].data, inputs[k].shape, true);
      const args = inputs.map((t, j) => (j === k ? leaf : t));
      const y = runNodeLayer(n, args, weights, false, new Rng(0));
      const seed = Tensor.zeros(y.shape, 'float64');
      seed.data[i] = 1;
      backward(y, { grad: seed });
      if (leaf.grad) data.set(leaf.grad.data, i * cols);
    }
    return { rows, cols, data, outShape: n.outShape.slice(), inShape: n.inShapes[k].slice() };
  });
}
