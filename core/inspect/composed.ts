import { backward } from '../autograd/backward';
import { noGrad } from '../autograd/state';
import type { Model } from '../model/model';
import { Tensor, formatShape, sizeOf } from '../tensor/tensor';
import { LabError } from '../util/errors';
import { Rng } from '../util/rng';
import { isolated } from './isolated';
import { type Jacobian, nodeJacobian } from './jacobian';
import { nodeWeights, runNodeLayer } from './node-run';

/**
 * The Jacobian of the last node of a chain with respect to the first node's input, for one
 * sample, measured directly (row by row from vector-Jacobian products through the whole chain,
 * in float64), not as a product of the nodes' own Jacobians. Each node of `path` after the
 * first must take the one before it as its only input.
 *
 * @example chainJacobian(model, ['fc1', 'h1'], sample) // ∂h1/∂x
 */
export function chainJacobian(
  model: Model,
  path: string[],
  sample: Float32Array | number[],
): Jacobian {
  if (path.length === 0) throw new LabError('USAGE', 'a chain needs at least one node');
  const nodes = path.map((id) => {
    const n = model.graph.byId.get(id);
    if (!n) throw new LabError('USAGE', `no node '${id}' in this network`);
    return n;
  });
  const first = nodes[0];
  if (first.inputs.length !== 1) {
    throw new LabError(
      'USAGE',
      `a chain starts at a node with one input; '${first.id}' (${first.type}) has ${first.inputs.length}`,
      { node: first.id },
    );
  }
  for (let k = 1; k < nodes.length; k++) {
    const n = nodes[k];
    if (n.inputs.length !== 1 || n.inputs[0] !== nodes[k - 1].id) {
      throw new LabError(
        'USAGE',
        `'${n.id}' does not take '${nodes[k - 1].id}' as its only input, so they are not a chain`,
        { node: n.id },
      );
    }
  }
  const sampleShape = model.graph.input.outShape;
  if (sample.length !== sizeOf(sampleShape)) {
    throw new LabError(
      'SHAPE_MISMATCH',
      `a sample has ${sizeOf(sampleShape)} values (shape ${formatShape(sampleShape)}), got ${sample.length}`,
      { node: model.graph.input.id },
    );
  }
  const last = nodes[nodes.length - 1];
  return isolated(() => {
    const x = Tensor.from(sample, [1, ...sampleShape]);
    const { outputs } = noGrad(() => model.forward(x, { training: false, rng: new Rng(0) }));
    const entering = outputs.get(first.inputs[0])!;
    const start = Tensor.from(entering.data, entering.shape, 'float64');
    const weights = nodes.map((n) =>
      Object.fromEntries(
        Object.entries(nodeWeights(model, n)).map(([k, w]) => [
          k,
          Tensor.from(w.data, w.shape, 'float64'),
        ]),
      ),
    );
    const rows = sizeOf(last.outShape);
    const cols = sizeOf(first.inShapes[0]);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const leaf = new Tensor(start.data, start.shape, true);
      let y = leaf;
      nodes.forEach((n, k) => (y = runNodeLayer(n, [y], weights[k], false, new Rng(0))));
      const seed = Tensor.zeros(y.shape, 'float64');
      seed.data[i] = 1;
      backward(y, { grad: seed });
      if (leaf.grad) data.set(leaf.grad.data, i * cols);
    }
    return {
      rows,
      cols,
      data,
      outShape: last.outShape.slice(),
      inShape: first.inShapes[0].slice(),
    };
  });
}

/** The chain rule made visible for an activation after a Dense layer: J = J_act · W. */
export interface DenseActivationJacobian {
  dense: string;
  activation: string;
  out: number;
  in: number;
  /** W, row-major [out, in]. */
  weight: Float64Array;
  /** The activation's own Jacobian, [out, out]. */
  activationJacobian: Float64Array;
  /** The activation works elementwise: its Jacobian is diag(σ′) (off-diagonals are 0). */
  diagonal: boolean;
  /** σ′(h̃) per unit: the diagonal of the activation's Jacobian. */
  sigmaPrime: Float64Array;
  /** J_act · W, [out, in]: diag(σ′)·W for an elementwise activation. */
  product: Float64Array;
  /** The Jacobian of the activation's output w.r.t. the Dense input, measured through both. */
  measured: Float64Array;
  /** Largest |product − measured|. */
  maxAbsDiff: number;
}

/**
 * For an activation node fed by a Dense node: W, the activation's Jacobian (σ′ on its
 * diagonal), their product and the measured Jacobian of the pair, for one sample.
 *
 * @example denseActivationJacobian(model, 'h1', sample).product // diag(σ′)·W
 */
export function denseActivationJacobian(
  model: Model,
  activationId: string,
  sample: Float32Array | number[],
): DenseActivationJacobian {
  const act = model.graph.byId.get(activationId);
  const dense = act && act.inputs.length === 1 ? model.graph.byId.get(act.inputs[0]) : undefined;
  const linear = dense?.def.lab?.linear;
  if (!act || !dense || !linear) {
    throw new LabError(
      'USAGE',
      `'${activationId}' is not a node whose only input is a linear layer (like Dense)`,
      act ? { node: activationId } : {},
    );
  }
  const w = model.weightsOf(dense.id)[linear.weight];
  const [out, inF] = w.shape;
  const weight = Float64Array.from(w.data);
  const ja = nodeJacobian(model, activationId, sample);
  if (ja.rows !== ja.cols || ja.cols !== out) {
    throw new LabError(
      'USAGE',
      `'${activationId}' changes the shape (${ja.cols} → ${ja.rows}), so it is not an activation of '${dense.id}'`,
      { node: activationId },
    );
  }
  const sigmaPrime = new Float64Array(out);
  let diagonal = true;
  for (let r = 0; r < out; r++) {
    for (let c = 0; c < out; c++) {
      const v = ja.data[r * out + c];
      if (r === c) sigmaPrime[r] = v;
      else if (v !== 0) diagonal = false;
    }
  }
  const product = new Float64Array(out * inF);
  for (let r = 0; r < out; r++) {
    for (let k = 0; k < out; k++) {
      const a = ja.data[r * out + k];
      if (a === 0) continue;
      for (let c = 0; c < inF; c++) product[r * inF + c] += a * weight[k * inF + c];
    }
  }
  const measured = chainJacobian(model, [dense.id, activationId], sample).data;
  let maxAbsDiff = 0;
  for (let i = 0; i < product.length; i++)
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(product[i] - measured[i]));
  return {
    dense: dense.id,
    activation: activationId,
    out,
    in: inF,
    weight,
    activationJacobian: ja.data,
    diagonal,
    sigmaPrime,
    product,
    measured,
    maxAbsDiff,
  };
}
