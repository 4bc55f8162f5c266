import { record, tracking } from '../autograd/record';
import { softmaxData } from '../ops/softmax';
import { Tensor, allocLike, formatShape, sameShape } from '../tensor/tensor';
import { LabError } from '../util/errors';
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
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (oneHot) {
      for (let j = 0; j < k; j++)
        if (T[i * k + j] !== 0) s -= T[i * k + j] * Math.log(S[i * k + j]);
    } else s -= Math.log(S[i * k + T[i]]);
  }
  const out = allocLike(z, 1);
  out[0] = s / n;
  const loss = new Tensor(out, []);
  if (tracking(z)) {
    const probs = new Tensor(S, [n, k]);
    record('CrossEntropy', [z, target], loss, [probs, target], ([g], [sp, st]) => {
      const gl = g!.data[0] / n;
      const P = sp.data,
        Tt = st.data;
      const gz = allocLike(P, n * k);
      for (let i = 0; i < n; i++) {
        // ∂/∂z of −Σ t·log softmax(z) is softmax(z)·Σt − t (Σt = 1 for one-hot rows)
        let mass = 1;
        if (oneHot) {
          mass = 0;
          for (let j = 0; j < k; j++) mass += Tt[i * k + j];
        }
        for (let j = 0; j < k; j++) gz[i * k + j] = gl * mass * P[i * k + j];
        if (oneHot) for (let j = 0; j < k; j++) gz[i * k + j] -= gl * Tt[i * k + j];
        else gz[i * k + Tt[i]] -= gl;
      }
      return [new Tensor(gz, [n, k]), null];
    });
  }
  return loss;
}
