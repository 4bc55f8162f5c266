import { record, tracking } from '../autograd/record';
import { Tensor, allocLike, formatShape, sameShape } from '../tensor/tensor';
import { LabError } from '../util/errors';
import type { Out } from '../ops/kernels/types';
import { noTargetGrad } from './check';
import { type LossDefinition, type TargetProblem, firstOutsideUnit } from './definition';

/**
 * Softmax + negative log-likelihood on logits z [n, k], mean over the batch. Targets are either
 * class indices ([n] or [n, 1]) or one-hot / probability rows ([n, k]).
 *
 * The value is computed from the logits by log-sum-exp, −log softmax(z)_c = lse(z) − z_c with
 * lse(z) = max z + log Σ e^(z − max z), so finite logits give a finite loss however far apart
 * they are ([100, −100] with class 1: 200, as PyTorch). Saves softmax(z) and the targets;
 * ∂L/∂z = (softmax(z)·Σt − t) / n.
 */
export function crossEntropy(z: Tensor, target: Tensor): Tensor {
  noTargetGrad('CrossEntropy', target);
  if (z.rank !== 2) {
    throw new LabError(
      'SHAPE_MISMATCH',
      `CrossEntropy needs logits of shape [batch, classes], got ${formatShape(z.shape)}`,
    );
  }
  const [n, k] = z.shape;
  const oneHot = sameShape(z.shape, target.shape);
  if (!oneHot && target.size !== n) {
    throw new LabError(
      'SHAPE_MISMATCH',
      `CrossEntropy: logits ${formatShape(z.shape)} need class indices [${n}] or one-hot targets [${n}, ${k}], got ${formatShape(target.shape)}`,
    );
  }
  const bad = checkCrossEntropyTargets(target.data, oneHot ? k : 1, [k]);
  if (bad) {
    const sample = Math.floor(bad.index / (oneHot ? k : 1));
    throw new LabError('DATA', `${bad.message} (sample ${sample} of the batch)`);
  }
  const S = allocLike(z, n * k);
  const out = allocLike(z, 1);
  out[0] = crossEntropyForward(z.data, target.data, S, n);
  const loss = new Tensor(out, []);
  if (tracking(z)) {
    const probs = new Tensor(S, [n, k]);
    record('CrossEntropy', [z, target], loss, [probs, target], ([g], [sp, st]) => {
      const gz = allocLike(sp.data, n * k);
      crossEntropyBackward(sp.data, st.data, g!.data[0], n, k, oneHot, gz);
      return [new Tensor(gz, [n, k]), null];
    });
  }
  return loss;
}

/**
 * The mean loss of n rows of logits Z (targets: indices, or rows when Y has Z's size), by
 * log-sum-exp; S gets softmax(Z) exactly as softmaxForward computes it. One pass: the
 * exponentials of the softmax give the log-sum-exp too.
 */
export function crossEntropyForward(
  Z: ArrayLike<number>,
  Y: ArrayLike<number>,
  S: Out,
  n: number,
): number {
  const k = Z.length / n;
  const oneHot = Y.length === Z.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const r = i * k;
    let max = -Infinity;
    for (let j = 0; j < k; j++) if (Z[r + j] > max) max = Z[r + j];
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(Z[r + j] - max);
      S[r + j] = e;
      sum += e;
    }
    for (let j = 0; j < k; j++) S[r + j] /= sum;
    const lse = max + Math.log(sum);
    if (oneHot) {
      for (let j = 0; j < k; j++) if (Y[r + j] !== 0) total += Y[r + j] * (lse - Z[r + j]);
    } else total += lse - Z[r + Y[i]];
  }
  return total / n;
}

/**
 * ∂L/∂z = g · (softmax(z)·Σt − t) / n (Σt = 1 for one-hot rows and class indices), each value
 * rounded once: a sure class (softmax 1) gets exactly 0, as in PyTorch.
 */
export function crossEntropyBackward(
  S: ArrayLike<number>,
  T: ArrayLike<number>,
  g: number,
  n: number,
  k: number,
  oneHot: boolean,
  GZ: Out,
): void {
  const gl = g / n;
  for (let i = 0; i < n; i++) {
    const r = i * k;
    if (oneHot) {
      let mass = 0;
      for (let j = 0; j < k; j++) mass += T[r + j];
      for (let j = 0; j < k; j++) GZ[r + j] = gl * (mass * S[r + j] - T[r + j]);
    } else {
      for (let j = 0; j < k; j++) GZ[r + j] = gl * S[r + j];
      GZ[r + T[i]] = gl * (S[r + T[i]] - 1);
    }
  }
}

/** Class indices must be whole numbers 0..k−1; one-hot and probability rows lie in [0, 1]. */
function checkCrossEntropyTargets(
  Y: ArrayLike<number>,
  width: number,
  outShape: readonly number[],
): TargetProblem | null {
  const k = outShape[outShape.length - 1];
  if (width > 1) {
    return firstOutsideUnit(
      Y,
      (v) => `CrossEntropy needs one-hot or probability targets between 0 and 1, got ${v}`,
    );
  }
  for (let i = 0; i < Y.length; i++) {
    const v = Y[i];
    if (!Number.isInteger(v) || v < 0 || v >= k) {
      return {
        index: i,
        message: `CrossEntropy needs a class index ${k === 1 ? '0' : `0..${k - 1}`} (a whole number) as target, got ${v}`,
      };
    }
  }
  return null;
}

export const CrossEntropy: LossDefinition = {
  type: 'CrossEntropy',
  regression: false,
  readout: 'softmax',
  guessing: (width) =>
    width >= 2
      ? { loss: Math.log(width), what: `the same probability, 1/${width}, for each class` }
      : null,
  op: crossEntropy,
  targetShape(outShape, { yDim, numClasses }, output) {
    const k = outShape[0];
    if (outShape.length !== 1) {
      return `CrossEntropy needs an output of shape [classes], but node '${output}' gives ${formatShape(outShape as number[])}`;
    }
    if (yDim === k && k > 1) return (b) => [b, k];
    if (yDim !== 1) {
      return `CrossEntropy needs one class index per sample or ${k} one-hot columns for the ${k} outputs of '${output}', but the data has ${yDim} target columns`;
    }
    if (numClasses !== undefined && numClasses > k) {
      return `the data has ${numClasses} classes but the output node '${output}' has ${k} unit${k === 1 ? '' : 's'} (one logit per class is needed)`;
    }
    return (b) => [b];
  },
  outputWidth({ yDim, numClasses }) {
    if (yDim > 1) return { width: yDim, what: `the data's ${yDim} one-hot target columns` };
    if (numClasses === undefined) return null;
    return { width: numClasses, what: `the data's ${numClasses} classes, one logit each` };
  },
  checkTargets: checkCrossEntropyTargets,
  scratchSize: (size) => size,
  forward: crossEntropyForward,
  backward(P, Y, S, g, rows, G) {
    crossEntropyBackward(S, Y, g, rows, P.length / rows, Y.length === P.length, G);
  },
};
