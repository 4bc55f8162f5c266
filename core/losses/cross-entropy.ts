import { record, tracking } from '../autograd/record';
import { softmaxData } from '../ops/softmax';
import { Tensor, allocLike, formatShape, sameShape } from '../tensor/tensor';
import { LabError } from '../util/errors';
import type { Out } from '../ops/kernels/types';
import { noTargetGrad } from './check';

/**
 * Softmax + negative log-likelihood on logits z [n, k], mean over the batch. Targets are either
 * class indices ([n] or [n, 1]) or one-hot / probability rows ([n, k]).
 * Saves softmax(z) and the targets; ∂L/∂z = (softmax(z)·Σt − t) / n.
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
  const T = target.data;
  if (!oneHot) {
    for (let i = 0; i < n; i++) {
      if (!Number.isInteger(T[i]) || T[i] < 0 || T[i] >= k) {
        throw new LabError(
          'DATA',
          `CrossEntropy: target ${T[i]} in row ${i} is not a class index in 0..${k - 1}`,
        );
      }
    }
  }
  const S = softmaxData(z.data, k);
  const out = allocLike(z, 1);
  out[0] = crossEntropyValue(S, T, n, k, oneHot);
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

/** Mean of −Σ t·log p over n rows of k probabilities S (targets: indices, or rows when oneHot). */
export function crossEntropyValue(
  S: ArrayLike<number>,
  T: ArrayLike<number>,
  n: number,
  k: number,
  oneHot: boolean,
): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (oneHot) {
      for (let j = 0; j < k; j++)
        if (T[i * k + j] !== 0) s -= T[i * k + j] * Math.log(S[i * k + j]);
    } else s -= Math.log(S[i * k + T[i]]);
  }
  return s / n;
}

/** ∂L/∂z = g · (softmax(z)·Σt − t) / n (Σt = 1 for one-hot rows and class indices). */
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
    let mass = 1;
    if (oneHot) {
      mass = 0;
      for (let j = 0; j < k; j++) mass += T[i * k + j];
    }
    for (let j = 0; j < k; j++) GZ[i * k + j] = gl * mass * S[i * k + j];
    if (oneHot) for (let j = 0; j < k; j++) GZ[i * k + j] -= gl * T[i * k + j];
    else GZ[i * k + T[i]] -= gl;
  }
}
