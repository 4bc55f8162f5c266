import type { Model } from '../model/model';
import { sizeOf } from '../tensor/tensor';
import { LabError } from '../util/errors';
import type { BatchInspection } from './batch';

/**
 * How a Dense layer passes its local error back, for one sample: δ⁽ᵏ⁻¹⁾ᵢ = Σⱼ Wⱼᵢ δ⁽ᵏ⁾ⱼ. Each
 * connection j ← i carries the share Wⱼᵢ·δ⁽ᵏ⁾ⱼ of the blame: it scales with the weight.
 */
export interface DenseBlame {
  node: string;
  /** The node feeding the Dense layer (whose δ is δ⁽ᵏ⁻¹⁾). */
  inputNode: string;
  /** Output units (j) and input features (i). */
  out: number;
  in: number;
  /** W, row-major [out, in]: weight[j * in + i] = Wⱼᵢ. */
  weight: Float64Array;
  /** δ⁽ᵏ⁾ at the Dense layer's output for this sample (length out). */
  deltaOut: Float64Array;
  /** shares[j * in + i] = Wⱼᵢ·δ⁽ᵏ⁾ⱼ. */
  shares: Float64Array;
  /** Σⱼ shares: what this layer passes back to each input i (length in). */
  passed: Float64Array;
  /**
   * The input node's δ as the whole backward pass found it; it equals `passed` unless the
   * input also feeds other nodes, whose blame adds to it. Null where no gradient flows.
   */
  deltaIn: Float64Array | null;
}

/**
 * Each connection's share of the blame: shares[j * in + i] = W[j * in + i] · deltaOut[j].
 *
 * @example blameShares([1, 2, 3, 4], [2, 2], [0.5, -1]) // [0.5, 1, -3, -4]
 */
export function blameShares(
  weight: ArrayLike<number>,
  shape: readonly number[],
  deltaOut: ArrayLike<number>,
): Float64Array {
  const [out, inF] = shape;
  if (shape.length !== 2 || weight.length !== out * inF || deltaOut.length !== out) {
    throw new LabError(
      'SHAPE_MISMATCH',
      `blame needs W of shape [out, in] and δ of length out, got W [${shape.join(', ')}] with ${weight.length} values and δ of length ${deltaOut.length}`,
    );
  }
  const shares = new Float64Array(out * inF);
  for (let j = 0; j < out; j++) {
    const d = deltaOut[j];
    for (let i = 0; i < inF; i++) shares[j * inF + i] = weight[j * inF + i] * d;
  }
  return shares;
}

/** Σⱼ shares[j * in + i] for every input i: the error passed back, δ⁽ᵏ⁻¹⁾ = Wᵀ δ⁽ᵏ⁾. */
export function passBack(shares: ArrayLike<number>, out: number, inF: number): Float64Array {
  const passed = new Float64Array(inF);
  for (let j = 0; j < out; j++) for (let i = 0; i < inF; i++) passed[i] += shares[j * inF + i];
  return passed;
}

/**
 * The blame picture of a Dense node (or any layer whose Lab formulas say it is `linear`, with
 * the weight named there) for one sample of an inspected batch.
 *
 * @example const b = denseBlame(model, inspectBatch(model, x, y, 'BCE'), 'fc2', 0); b.passed;
 */
export function denseBlame(
  model: Model,
  inspection: BatchInspection,
  nodeId: string,
  sample: number,
): DenseBlame {
  const n = model.graph.byId.get(nodeId);
  const linear = n?.def.lab?.linear;
  if (!n || !linear) {
    throw new LabError('USAGE', `'${nodeId}' is not a linear layer (like Dense) of this network`, {
      node: nodeId,
    });
  }
  const w = model.weightsOf(nodeId)[linear.weight];
  const [out, inF] = w.shape;
  const own = inspection.nodes[nodeId];
  const below = inspection.nodes[n.inputs[0]];
  const batch = own.output.shape[0];
  if (!Number.isInteger(sample) || sample < 0 || sample >= batch) {
    throw new LabError('USAGE', `sample ${sample} is not in the batch of ${batch}`, {
      node: nodeId,
    });
  }
  const deltaOut = own.delta
    ? Float64Array.from(own.delta.data.subarray(sample * out, (sample + 1) * out))
    : new Float64Array(out);
  const weight = Float64Array.from(w.data);
  const shares = blameShares(weight, [out, inF], deltaOut);
  const inSize = sizeOf(n.inShapes[0]);
  return {
    node: nodeId,
    inputNode: n.inputs[0],
    out,
    in: inF,
    weight,
    deltaOut,
    shares,
    passed: passBack(shares, out, inF),
    deltaIn: below?.delta
      ? Float64Array.from(below.delta.data.subarray(sample * inSize, (sample + 1) * inSize))
      : null,
  };
}
